import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { toE164 } from '../../../../shared/domain/phone';
import type { AccountConfig } from './account';
import { BandwidthError } from './errors';
import type { AuthorizedHttp, HttpResponse } from './http';

/** The messaging application as the Dashboard API shows it (REFERENCE.md §9.5). Passwords are never echoed back. */
export interface MessagingApplication {
  applicationId: string;
  serviceType: string | null;
  appName: string | null;
  inboundCallbackUrl: string | null;
  outboundCallbackUrl: string | null;
  inboundCallbackUserId: string | null;
  outboundCallbackUserId: string | null;
  requestedCallbackTypes: string[];
}

export interface CallbackCreds {
  userId: string;
  password: string;
}

export interface ApplicationPatch {
  inboundCallbackUrl?: string;
  outboundCallbackUrl?: string;
  inboundCallbackCreds?: CallbackCreds;
  outboundCallbackCreds?: CallbackCreds;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep every value a string: "9195551234" must not become a number, nor an id lose its leading zeros.
  parseTagValue: false,
  isArray: (name) => name === 'TelephoneNumber' || name === 'CallbackType' || name === 'Error',
});
const builder = new XMLBuilder({ format: false });

type Xml = Record<string, unknown>;
const node = (value: unknown): Xml => (value && typeof value === 'object' ? (value as Xml) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Dashboard numbers are 10 digits; the app speaks E.164 (REFERENCE.md §1). */
export function dashboardToE164(tn: string): string | null {
  return toE164(/^\d{10}$/.test(tn) ? `+1${tn}` : tn);
}
export function e164ToDashboard(e164: string): string {
  return e164.replace(/^\+1(\d{10})$/, '$1').replace(/^\+/, '');
}

export type DashboardClient = ReturnType<typeof createDashboardClient>;

/** The Dashboard (numbers/account) XML API: the messaging application's callbacks and the account's numbers. */
export function createDashboardClient(account: AccountConfig, http: AuthorizedHttp) {
  const accountUrl = `${account.dashboardUrl}/accounts/${encodeURIComponent(account.accountId)}`;
  const applicationUrl = `${accountUrl}/applications/${encodeURIComponent(account.applicationId)}`;

  async function readXml(res: HttpResponse, what: string): Promise<Xml> {
    const body = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) return body.trim() ? node(parser.parse(body)) : {};
    // Dashboard errors are XML: <…><Error(s)><Code/><Description/>…; find the first description wherever it sits.
    const description = /<Description>([^<]*)<\/Description>/.exec(body)?.[1];
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
    const retryable = res.statusCode === 429 || res.statusCode >= 500;
    throw new BandwidthError(
      {
        kind: 'rejected',
        status: res.statusCode,
        type: code ?? '',
        description: description ?? (res.statusCode === 401 ? 'Bandwidth refused the credentials' : res.statusCode === 403 ? 'The credentials are not allowed to do this on this account' : `HTTP ${res.statusCode}`),
        fieldErrors: [],
        retryable,
        retryAfterMs: null,
      },
      what,
    );
  }

  function toApplication(xml: Xml): MessagingApplication {
    const app = node(node(xml.ApplicationProvisioningResponse).Application);
    return {
      applicationId: text(app.ApplicationId) ?? account.applicationId,
      serviceType: text(app.ServiceType),
      appName: text(app.AppName),
      inboundCallbackUrl: text(app.InboundCallbackUrl) ?? text(app.MsgCallbackUrl),
      outboundCallbackUrl: text(app.OutboundCallbackUrl) ?? text(app.MsgCallbackUrl),
      inboundCallbackUserId: text(node(app.InboundCallbackCreds).UserId),
      outboundCallbackUserId: text(node(app.OutboundCallbackCreds).UserId),
      requestedCallbackTypes: ((node(app.RequestedCallbackTypes).CallbackType as unknown[] | undefined) ?? []).filter((t): t is string => typeof t === 'string'),
    };
  }

  async function getApplication(): Promise<MessagingApplication> {
    const what = 'Reading the messaging application';
    return toApplication(await readXml(await http.send({ method: 'GET', url: applicationUrl, headers: { accept: 'application/xml' } }, what), what));
  }

  /** PATCH: only the fields given change (REFERENCE.md §9.5). */
  async function patchApplication(patch: ApplicationPatch): Promise<MessagingApplication> {
    const what = 'Updating the messaging application';
    const creds = (c: CallbackCreds | undefined) => (c ? { UserId: c.userId, Password: c.password } : undefined);
    const fields = {
      InboundCallbackUrl: patch.inboundCallbackUrl,
      OutboundCallbackUrl: patch.outboundCallbackUrl,
      InboundCallbackCreds: creds(patch.inboundCallbackCreds),
      OutboundCallbackCreds: creds(patch.outboundCallbackCreds),
    };
    const body = `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ Application: JSON.parse(JSON.stringify(fields)) as Xml })}`;
    const res = await http.send({ method: 'PATCH', url: applicationUrl, headers: { 'content-type': 'application/xml', accept: 'application/xml' }, body }, what);
    return toApplication(await readXml(res, what));
  }

  /** All in-service numbers as E.164, following `Links/next` page by page; 204 means none. */
  async function listInServiceNumbers(pageSize = 1000): Promise<string[]> {
    const what = 'Listing the account numbers';
    const numbers: string[] = [];
    let page = '1';
    for (;;) {
      const url = `${accountUrl}/inserviceNumbers?${new URLSearchParams({ page, size: String(pageSize) })}`;
      const res = await http.send({ method: 'GET', url, headers: { accept: 'application/xml' } }, what);
      if (res.statusCode === 204) {
        await res.body.dump();
        return numbers;
      }
      const tns = node((await readXml(res, what)).TNs);
      const list = (node(tns.TelephoneNumbers).TelephoneNumber as unknown[] | undefined) ?? [];
      for (const tn of list) {
        const e164 = typeof tn === 'string' ? dashboardToE164(tn) : null;
        if (e164) numbers.push(e164);
      }
      // `next` looks like `<https://host/v1.0/accounts/1/inserviceNumbers?page=…&size=…>;rel="next";`: only its page marker
      // is used, on our own configured base (the host and prefix in it differ between Bandwidth's API generations).
      const next = text(node(tns.Links).next);
      const nextPage = next ? new URL(/<([^>]+)>/.exec(next)?.[1] ?? next, 'http://x').searchParams.get('page') : null;
      if (!nextPage || nextPage === page || list.length === 0) return numbers;
      page = nextPage;
    }
  }

  return { getApplication, patchApplication, listInServiceNumbers };
}
