/**
 * The Dashboard (Numbers) XML API subset a desktop app needs (REFERENCE.md §9), under /api/accounts/{accountId}:
 * in-service numbers, available-number search, asynchronous number orders, and messaging applications with
 * their callback URLs and credentials (passwords are stored, never echoed). Numbers are 10 digits here.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { toE164 } from '../../../shared/domain/phone';
import type { Request, Response } from './http';
import { randomString, uuid } from './ids';
import type { Application, CallbackCreds, Context, NumberClass } from './model';
import { STATUS_CALLBACK_TYPES } from './model';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['TelephoneNumber', 'CallbackType'].includes(name),
});
const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

export function xml(status: number, root: Record<string, unknown>): Response {
  return {
    status,
    headers: { 'Content-Type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${builder.build(root) as string}`,
  };
}

const tenDigits = (e164: string) => e164.replace(/^\+1/, '');

/** A toll-free wildcard pattern ('8**', '83*') as the 8XX prefix to search; wildcards become 8 (888). */
const tollFreePrefix = (pattern: string) => `8${pattern.replace(/\*/g, '8').slice(1, 3).padEnd(2, '8')}`;

function xmlError(status: number, root: string, code: number, description: string): Response {
  return xml(status, { [root]: { ErrorList: { Error: { Code: code, Description: description } } } });
}

interface Order {
  id: string;
  created: number;
  status: 'RECEIVED' | 'PROCESSING' | 'COMPLETE' | 'PARTIAL' | 'FAILED';
  customerOrderId?: string;
  name?: string;
  siteId: string;
  requested: string[];
  completed: string[];
  failed: string[];
}

function parseCreds(node: unknown): CallbackCreds | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  return typeof n.UserId === 'string' ? { userId: n.UserId, password: typeof n.Password === 'string' ? n.Password : '' } : undefined;
}

/** Applies the fields present in an <Application> body; PUT first resets the optional ones. */
function applyApplication(app: Application, body: Record<string, unknown>, replace: boolean): void {
  if (replace) {
    delete app.inboundCallbackUrl;
    delete app.outboundCallbackUrl;
    delete app.inboundCallbackCreds;
    delete app.outboundCallbackCreds;
    app.requestedCallbackTypes = [...STATUS_CALLBACK_TYPES];
  }
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  if (str('AppName') !== undefined) app.name = str('AppName') as string;
  // Deprecated MsgCallbackUrl / MsgCallbackCreds still fill both directions (REFERENCE.md §9.5).
  const both = str('MsgCallbackUrl') ?? str('CallbackUrl');
  if (both !== undefined) app.inboundCallbackUrl = app.outboundCallbackUrl = both;
  const bothCreds = parseCreds(body.MsgCallbackCreds ?? body.CallbackCreds);
  if (bothCreds) app.inboundCallbackCreds = app.outboundCallbackCreds = bothCreds;
  if (str('InboundCallbackUrl') !== undefined) app.inboundCallbackUrl = str('InboundCallbackUrl') as string;
  if (str('OutboundCallbackUrl') !== undefined) app.outboundCallbackUrl = str('OutboundCallbackUrl') as string;
  const inbound = parseCreds(body.InboundCallbackCreds);
  if (inbound) app.inboundCallbackCreds = inbound;
  const outbound = parseCreds(body.OutboundCallbackCreds);
  if (outbound) app.outboundCallbackCreds = outbound;
  const types = (body.RequestedCallbackTypes as { CallbackType?: string[] } | undefined)?.CallbackType;
  if (types) app.requestedCallbackTypes = types;
}

function applicationXml(app: Application): Record<string, unknown> {
  return {
    ApplicationId: app.id,
    ServiceType: app.serviceType,
    AppName: app.name,
    ...(app.inboundCallbackUrl ? { InboundCallbackUrl: app.inboundCallbackUrl } : {}),
    ...(app.outboundCallbackUrl ? { OutboundCallbackUrl: app.outboundCallbackUrl } : {}),
    ...(app.inboundCallbackCreds ? { InboundCallbackCreds: { UserId: app.inboundCallbackCreds.userId } } : {}),
    ...(app.outboundCallbackCreds ? { OutboundCallbackCreds: { UserId: app.outboundCallbackCreds.userId } } : {}),
    RequestedCallbackTypes: { CallbackType: app.requestedCallbackTypes },
  };
}

export function createDashboardHandlers(ctx: Context, onApplicationChanged: () => void) {
  const orders = new Map<string, Order>();

  function parseBody(req: Request): Record<string, unknown> | null {
    if (!/xml/i.test(req.headers['content-type'] ?? '')) return null;
    try {
      return parser.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  function owned(tn: string): boolean {
    return ctx.numbers.some((n) => tenDigits(n.number) === tn);
  }

  /** Valid, unowned numbers in the fictitious 555-01XX block of an area code (toll-free: 8XX). */
  function available(areaCode: string, quantity: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < 100 && out.length < quantity; i += 1) {
      const tn = `${areaCode}55501${String(i).padStart(2, '0')}`;
      const reserved = [...orders.values()].some((o) => o.status !== 'FAILED' && o.requested.includes(tn));
      if (!owned(tn) && !reserved && toE164(`+1${tn}`)) out.push(tn);
    }
    return out;
  }

  function orderXml(order: Order): Response {
    return xml(200, {
      OrderResponse: {
        ...(order.status === 'COMPLETE' || order.status === 'PARTIAL' ? { CompletedQuantity: order.completed.length } : {}),
        CreatedByUser: 'sandbox',
        FailedQuantity: order.failed.length,
        LastModifiedDate: new Date().toISOString(),
        OrderCompleteDate: order.status === 'COMPLETE' || order.status === 'PARTIAL' ? new Date().toISOString() : '',
        Order: {
          ...(order.customerOrderId ? { CustomerOrderId: order.customerOrderId } : {}),
          ...(order.name ? { Name: order.name } : {}),
          OrderCreateDate: new Date(order.created).toISOString(),
          PeerId: ctx.peerId,
          BackOrderRequested: false,
          id: order.id,
          ExistingTelephoneNumberOrderType: { TelephoneNumberList: { TelephoneNumber: order.requested } },
          PartialAllowed: true,
          SiteId: order.siteId,
        },
        OrderStatus: order.status,
        CompletedNumbers: { TelephoneNumber: order.completed.map((tn) => ({ FullNumber: tn })) },
        Summary: `${order.completed.length} number(s) ordered`,
      },
    });
  }

  function advance(order: Order): void {
    const { scheduler, delays } = ctx;
    scheduler.after(delays.orderStepMs, () => {
      order.status = 'PROCESSING';
      scheduler.after(delays.orderStepMs, () => {
        for (const tn of order.requested) {
          const e164 = toE164(`+1${tn}`);
          if (e164 && !owned(tn)) {
            const cls: NumberClass = /^8(00|33|44|55|66|77|88)/.test(tn) ? 'toll-free' : 'local';
            ctx.numbers.push({ number: e164, class: cls });
            order.completed.push(tn);
          } else order.failed.push(tn);
        }
        order.status = order.failed.length === 0 ? 'COMPLETE' : order.completed.length > 0 ? 'PARTIAL' : 'FAILED';
      });
    });
  }

  return {
    inService(req: Request): Response {
      const q = req.url.searchParams;
      const page = Number(q.get('page') ?? '1');
      const size = Number(q.get('size') ?? '500');
      const areacode = q.get('areacode');
      const npanxx = q.get('npanxx');
      const all = ctx.numbers
        .map((n) => tenDigits(n.number))
        .filter((tn) => (!areacode || tn.startsWith(areacode)) && (!npanxx || tn.startsWith(npanxx)));
      const slice = all.slice((page - 1) * size, page * size);
      if (slice.length === 0) return { status: 204 };
      const link = (p: number) => `<${ctx.origin}/api/accounts/${ctx.accountId}/inserviceNumbers?page=${p}&size=${size}>;rel="${p === 1 ? 'first' : 'next'}";`;
      return xml(200, {
        TNs: {
          TotalCount: all.length,
          Links: { first: `Link=${link(1)}`, ...(page * size < all.length ? { next: `Link=${link(page + 1)}` } : {}) },
          TelephoneNumbers: { Count: slice.length, TelephoneNumber: slice },
        },
      });
    },

    inServiceTotals(): Response {
      return xml(200, { Quantity: { Count: ctx.numbers.length } });
    },

    availableNumbers(req: Request): Response {
      const q = req.url.searchParams;
      const quantity = Math.min(Number(q.get('quantity') ?? '5000') || 5000, 5000);
      const npaNxx = q.get('npaNxx') ?? q.get('npaNxxx');
      const tollFree = q.get('tollFreeWildCardPattern') ?? q.get('tollFreeVanity');
      // Geography-only criteria resolve to the sandbox's home area code (919, North Carolina).
      const geographic = ['state', 'city', 'zip', 'lata', 'rateCenter', 'localVanity'].some((k) => q.get(k) !== null);
      let tns: string[];
      if (q.get('areaCode')) tns = available(q.get('areaCode') as string, quantity);
      else if (npaNxx) tns = available(npaNxx.slice(0, 3), 100).filter((tn) => tn.startsWith(npaNxx)).slice(0, quantity);
      else if (tollFree) tns = available(tollFreePrefix(tollFree), quantity);
      else if (geographic) tns = available('919', quantity);
      else return xmlError(400, 'SearchResult', 4010, 'One of the search criteria (areaCode, npaNxx, state, zip, tollFreeWildCardPattern, ...) is required');
      const detail = q.get('enableTNDetail') === 'true';
      return xml(200, {
        SearchResult: {
          ResultCount: tns.length,
          ...(detail
            ? { TelephoneNumberDetailList: { TelephoneNumberDetail: tns.map((tn) => ({ City: 'RALEIGH', LATA: 426, RateCenter: 'RALEIGH', State: 'NC', FullNumber: tn, Tier: 0, VendorId: 49, VendorName: 'Sandbox' })) } }
            : { TelephoneNumberList: { TelephoneNumber: tns } }),
        },
      });
    },

    createOrder(req: Request): Response {
      const body = parseBody(req);
      const order = body?.Order as Record<string, unknown> | undefined;
      if (!order) return xml(500, { OrderResponse: { ErrorList: { Error: { Code: 5000, Description: 'The request body must be an <Order>' } } } });
      if (typeof order.SiteId !== 'string' || !order.SiteId) return xmlError(400, 'OrderResponse', 5022, 'SiteId is required');
      if (order.SiteId !== ctx.siteId) return xmlError(400, 'OrderResponse', 5016, 'The SiteId submitted is invalid.');
      const existing = (order.ExistingTelephoneNumberOrderType as { TelephoneNumberList?: { TelephoneNumber?: string[] } } | undefined)?.TelephoneNumberList?.TelephoneNumber;
      const byArea = order.AreaCodeSearchAndOrderType as { AreaCode?: string; Quantity?: string } | undefined;
      const byTollFree = order.TollFreeWildCharSearchAndOrderType as { TollFreeWildCardPattern?: string; Quantity?: string } | undefined;
      const requested = existing
        ?? (byArea?.AreaCode ? available(byArea.AreaCode, Number(byArea.Quantity ?? '1')) : undefined)
        ?? (byTollFree?.TollFreeWildCardPattern ? available(tollFreePrefix(byTollFree.TollFreeWildCardPattern), Number(byTollFree.Quantity ?? '1')) : undefined);
      if (!requested || requested.length === 0) return xmlError(400, 'OrderResponse', 5005, 'The order contains no telephone numbers, or none is available');
      const created: Order = {
        id: uuid(ctx.rng),
        created: Date.now(),
        status: 'RECEIVED',
        ...(typeof order.CustomerOrderId === 'string' ? { customerOrderId: order.CustomerOrderId } : {}),
        ...(typeof order.Name === 'string' ? { name: order.Name } : {}),
        siteId: order.SiteId,
        requested: requested.map(String),
        completed: [],
        failed: [],
      };
      orders.set(created.id, created);
      advance(created);
      const response = orderXml(created);
      return { ...response, status: 201 };
    },

    getOrder(req: Request): Response {
      const order = orders.get(req.params.orderId as string);
      return order ? orderXml(order) : xmlError(404, 'OrderResponse', 5004, `Order '${req.params.orderId}' was not found`);
    },

    listApplications(): Response {
      return xml(200, { ApplicationProvisioningResponse: { ApplicationList: { Application: [...ctx.applications.values()].map(applicationXml) } } });
    },

    getApplication(req: Request): Response {
      const app = ctx.applications.get(req.params.applicationId as string);
      if (!app) return xmlError(404, 'ApplicationProvisioningResponse', 12645, `Application '${req.params.applicationId}' not found`);
      return xml(200, { ApplicationProvisioningResponse: { Application: applicationXml(app) } });
    },

    createApplication(req: Request): Response {
      const body = parseBody(req)?.Application as Record<string, unknown> | undefined;
      if (!body) return xmlError(400, 'ApplicationProvisioningResponse', 12000, 'The request body must be an <Application>');
      const app: Application = { id: uuid(ctx.rng), name: `Application ${randomString(ctx.rng, 4)}`, serviceType: 'Messaging-V2', requestedCallbackTypes: [...STATUS_CALLBACK_TYPES] };
      applyApplication(app, body, false);
      if (!app.inboundCallbackUrl) return xmlError(400, 'ApplicationProvisioningResponse', 12006, 'InboundCallbackUrl is required for Messaging-V2 applications');
      ctx.applications.set(app.id, app);
      return xml(201, { ApplicationProvisioningResponse: { Application: applicationXml(app) } });
    },

    updateApplication(req: Request, replace: boolean): Response {
      const app = ctx.applications.get(req.params.applicationId as string);
      if (!app) return xmlError(404, 'ApplicationProvisioningResponse', 12645, `Application '${req.params.applicationId}' not found`);
      const body = parseBody(req)?.Application as Record<string, unknown> | undefined;
      if (!body) return xmlError(400, 'ApplicationProvisioningResponse', 12000, 'The request body must be an <Application>');
      if (typeof body.ServiceType === 'string' && !['Messaging-V2', 'Messaging'].includes(body.ServiceType)) {
        return xmlError(400, 'ApplicationProvisioningResponse', 12001, 'ServiceType cannot be changed');
      }
      applyApplication(app, body, replace);
      onApplicationChanged();
      return xml(200, { ApplicationProvisioningResponse: { Application: applicationXml(app) } });
    },
  };
}
