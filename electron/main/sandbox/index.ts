/**
 * The Bandwidth simulator: one HTTP server on 127.0.0.1 serving the messaging API (/api/v2), the OAuth2 token
 * endpoint (/api/v1/oauth2/token), the Dashboard XML subset (/api/accounts/...) and the control API
 * (/__sandbox). See README.md in this folder for behaviour, test numbers and options.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from './auth';
import { Auth } from './auth';
import { CallbackDispatcher } from './callbacks';
import type { FailNext } from './control';
import { createControlHandlers } from './control';
import { createDashboardHandlers, xml } from './dashboard';
import type { Handler, Request, Response } from './http';
import { BodyTooLarge, Router, bwError, forbidden, json, readBody, send, springNotFound, unauthorized } from './http';
import { createRng, randomString, uuid } from './ids';
import { loopBackOwnNumbers } from './inbound';
import { createMediaHandlers } from './media';
import { createMessageHandlers } from './messages';
import type { CallbackSchedule, Context, Delays, NumberClass, OwnedNumber, SandboxSettings } from './model';
import { STATUS_CALLBACK_TYPES } from './model';
import { testNumbers } from './outcomes';
import { PERSONAS, Personas } from './personas';
import { DEFAULT_CLASS_RATES, RateLimiter } from './rateLimiter';
import { Scheduler } from './timers';

export type { NumberClass, OwnedNumber, SandboxSettings } from './model';
export { PERSONAS } from './personas';
export { testNumbers } from './outcomes';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Seeds ids, delays and persona choices (secrets stay random). */
  seed?: number;
  /** Simulated customers who reply and write on their own (default true). */
  personas?: boolean;
  /** Multiplies every simulated delay (0.1 = ten times faster); rate limits stay real. */
  timeScale?: number;
  delays?: Partial<Delays>;
  callbackSchedule?: Partial<CallbackSchedule>;
  /** Initial fault/timing settings (also changeable through the control API). */
  settings?: Partial<SandboxSettings>;
  accountId?: string;
  credentials?: Partial<Credentials>;
  numbers?: OwnedNumber[];
  /** Segments per second per number class; defaults local 1, toll-free 3, 10dlc 10, short-code 100. */
  classRates?: Partial<Record<NumberClass, number>>;
  /** Account dequeue rate (segments/s), default 100, and queue depth in seconds of it, default 900. */
  accountMps?: number;
  queueSeconds?: number;
  /** GET /messages limit per source IP: default 3500 requests per 5 minutes. */
  listRateLimit?: { requests: number; windowMs: number };
  /** Lifetime of OAuth2 tokens (default 3600 s). */
  tokenTtlSeconds?: number;
  /** GET /media page size (Bandwidth: 1000). */
  mediaPageSize?: number;
  log?: (line: string) => void;
}

export interface Sandbox {
  baseUrl: string;
  tokenUrl: string;
  dashboardUrl: string;
  controlUrl: string;
  accountId: string;
  applicationId: string;
  siteId: string;
  clientId: string;
  clientSecret: string;
  apiUser: { username: string; password: string };
  numbers: OwnedNumber[];
  stop(): Promise<void>;
}

export const DEFAULT_NUMBERS: OwnedNumber[] = [
  { number: '+19195550100', class: 'local' },
  { number: '+19195550101', class: 'local' },
  { number: '+18885550102', class: 'toll-free' },
  { number: '+19195550103', class: '10dlc' },
];

const DEFAULT_DELAYS: Delays = {
  sendingMs: [100, 250],
  sentMs: [150, 400],
  deliveredMs: [300, 1500],
  dlrTimeoutMs: [3000, 4000],
  replyMs: [1500, 4000],
  ambientMs: [30_000, 60_000],
  orderStepMs: 400,
};

const DEFAULT_SCHEDULE: CallbackSchedule = {
  retryDelaysMs: [500, 1000, 2000, 4000, 8000, 15_000, 30_000],
  retryWindowMs: 24 * 3600 * 1000,
  timeoutMs: 10_000,
};

const DEFAULT_SETTINGS: SandboxSettings = {
  latencyMs: 0,
  apiErrorRate: 0,
  callbackDropRate: 0,
  callbackDuplicateRate: 0,
  callbackReorderMs: 0,
  callbackDelayMs: 0,
  callbacksOfflineUntil: 0,
  personasPaused: false,
};

const BODY_LIMIT = 8 * 1024 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const rng = createRng(options.seed ?? (Date.now() & 0x7fffffff));
  const scheduler = new Scheduler(options.timeScale ?? 1);
  const accountId = options.accountId ?? '9900000';
  const applicationId = uuid(rng);
  const ctx: Context = {
    accountId,
    siteId: '50000',
    peerId: '500001',
    applicationId,
    rng,
    scheduler,
    delays: { ...DEFAULT_DELAYS, ...options.delays },
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    numbers: (options.numbers ?? DEFAULT_NUMBERS).map((n) => ({ ...n })),
    applications: new Map([[applicationId, { id: applicationId, name: 'Sandbox messaging', serviceType: 'Messaging-V2', requestedCallbackTypes: [...STATUS_CALLBACK_TYPES] }]]),
    messages: new Map(),
    media: new Map(),
    optOuts: new Set(),
    optOutConfirmations: new Set(),
    origin: '',
    listeners: [],
    log: options.log ?? (() => {}),
  };
  const credentials: Credentials = {
    clientId: options.credentials?.clientId ?? `sandbox-${randomString(rng, 12)}`,
    clientSecret: options.credentials?.clientSecret ?? randomBytes(18).toString('base64url'),
    apiUser: options.credentials?.apiUser ?? { username: 'sandbox-api-user', password: randomBytes(12).toString('base64url') },
  };
  const auth = new Auth(credentials, accountId, options.tokenTtlSeconds ?? 3600);
  const callbacks = new CallbackDispatcher(ctx, { ...DEFAULT_SCHEDULE, ...options.callbackSchedule });
  const limiter = new RateLimiter({ classRates: { ...DEFAULT_CLASS_RATES, ...options.classRates }, accountMps: options.accountMps ?? 100, queueSeconds: options.queueSeconds ?? 900 });
  const messages = createMessageHandlers(ctx, callbacks, limiter);
  const media = createMediaHandlers(ctx, options.mediaPageSize ?? 1000);
  const dashboard = createDashboardHandlers(ctx, () => callbacks.applicationChanged());
  const failNext: FailNext = { count: 0, status: 500 };
  const listLimit = options.listRateLimit ?? { requests: 3500, windowMs: 5 * 60 * 1000 };
  const listHits = new Map<string, number[]>();

  const urls = () => ({
    baseUrl: `${ctx.origin}/api/v2`,
    tokenUrl: `${ctx.origin}/api/v1/oauth2/token`,
    dashboardUrl: `${ctx.origin}/api`,
    controlUrl: `${ctx.origin}/__sandbox`,
  });
  const personasOn = options.personas ?? true;
  const info = () => ({
    ...urls(),
    accountId,
    applicationId,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    numbers: ctx.numbers.map((n) => n.number),
    numberClasses: ctx.numbers,
    personas: personasOn ? PERSONAS.map(({ name, number }) => ({ name, number })) : [],
    testNumbers: testNumbers(),
  });
  const control = createControlHandlers(ctx, callbacks, info, failNext);

  /** Faults set through the control API, shared by every Bandwidth-facing route. */
  function injectedFault(errorBody: (status: number, description: string) => Response): Response | null {
    if (failNext.count > 0) {
      failNext.count -= 1;
      return errorBody(failNext.status, `Injected failure (HTTP ${failNext.status})`);
    }
    if (rng() < ctx.settings.apiErrorRate) return errorBody(500, 'Injected random failure');
    return null;
  }

  const errorType = (status: number) => (status === 429 ? 'too-many-requests' : status >= 500 ? 'internal-server-error' : 'request-error');

  function messaging(handler: Handler): Handler {
    return (req) => {
      const who = auth.authenticate(req.headers);
      if (!who.ok) return unauthorized();
      if (!who.accounts.includes(req.params.accountId as string)) return forbidden();
      return injectedFault((status, description) => bwError(status, errorType(status), description)) ?? handler(req);
    };
  }

  function dashboardRoute(handler: Handler): Handler {
    return (req) => {
      const who = auth.authenticate(req.headers);
      if (!who.ok) return xml(401, { ResponseStatus: { ErrorCode: 401, Description: 'Authentication Failed' } });
      if (!who.accounts.includes(req.params.accountId as string)) return xml(403, { ResponseStatus: { ErrorCode: 403, Description: 'Access Denied' } });
      return injectedFault((status, description) => xml(status, { ResponseStatus: { ErrorCode: status, Description: description } })) ?? handler(req);
    };
  }

  function listLimited(handler: Handler): Handler {
    return (req) => {
      const now = Date.now();
      const hits = (listHits.get(req.ip) ?? []).filter((t) => t > now - listLimit.windowMs);
      listHits.set(req.ip, hits);
      if (hits.length >= listLimit.requests) {
        const retryAfter = Math.max(1, Math.ceil(((hits[0] as number) + listLimit.windowMs - now) / 1000));
        return json(429, { type: 'rate_limit_exceeded', description: 'Rate limit exceeded. Wait for Retry-After time before sending another request.' }, { 'Retry-After': String(retryAfter) });
      }
      hits.push(now);
      return handler(req);
    };
  }

  const v2 = '/api/v2/users/:accountId';
  const acct = '/api/accounts/:accountId';
  const router = new Router()
    .add('POST', '/api/v1/oauth2/token', (req) => auth.token(req))
    .add('POST', `${v2}/messages`, messaging(messages.create))
    .add('GET', `${v2}/messages`, messaging(listLimited(messages.list)))
    .add('GET', `${v2}/media`, messaging(media.list))
    .add('PUT', `${v2}/media/*mediaId`, messaging(media.put))
    .add('GET', `${v2}/media/*mediaId`, messaging(media.get))
    .add('DELETE', `${v2}/media/*mediaId`, messaging(media.delete))
    .add('GET', `${acct}/inserviceNumbers`, dashboardRoute(dashboard.inService))
    .add('GET', `${acct}/inserviceNumbers/totals`, dashboardRoute(dashboard.inServiceTotals))
    .add('GET', `${acct}/availableNumbers`, dashboardRoute(dashboard.availableNumbers))
    .add('POST', `${acct}/orders`, dashboardRoute(dashboard.createOrder))
    .add('GET', `${acct}/orders/:orderId`, dashboardRoute(dashboard.getOrder))
    .add('GET', `${acct}/applications`, dashboardRoute(dashboard.listApplications))
    .add('POST', `${acct}/applications`, dashboardRoute(dashboard.createApplication))
    .add('GET', `${acct}/applications/:applicationId`, dashboardRoute(dashboard.getApplication))
    .add('PUT', `${acct}/applications/:applicationId`, dashboardRoute((req) => dashboard.updateApplication(req, true)))
    .add('PATCH', `${acct}/applications/:applicationId`, dashboardRoute((req) => dashboard.updateApplication(req, false)))
    .add('GET', '/__sandbox', control.info)
    .add('GET', '/__sandbox/settings', control.settings)
    .add('PATCH', '/__sandbox/settings', control.patchSettings)
    .add('POST', '/__sandbox/callbacks/offline', control.offline)
    .add('GET', '/__sandbox/callbacks', control.callbackLog)
    .add('POST', '/__sandbox/inbound', control.inbound)
    .add('GET', '/__sandbox/messages', control.messages)
    .add('POST', '/__sandbox/personas', control.personas)
    .add('POST', '/__sandbox/fail-next', control.failNext);

  async function handle(req: Request): Promise<Response> {
    const match = router.match(req.method, req.url.pathname);
    if (match.kind === 'none') return springNotFound(req.url.pathname);
    if (match.kind === 'wrong-method') return bwError(405, 'method-not-allowed', `Method ${req.method} is not allowed here`);
    if (!req.url.pathname.startsWith('/__sandbox') && ctx.settings.latencyMs > 0) {
      // A real (unscaled) delay, through the scheduler so stop() clears it.
      await new Promise<void>((resolve) => scheduler.after(ctx.settings.latencyMs / scheduler.scale, resolve));
    }
    return match.handler({ ...req, params: match.params });
  }

  const server: Server = createServer((incoming, res) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    readBody(incoming, BODY_LIMIT)
      .then((body) => handle({ method: incoming.method ?? 'GET', url, headers: incoming.headers, body, ip: incoming.socket.remoteAddress ?? '', params: {} }))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) return bwError(400, 'request-validation', `The request body is larger than ${BODY_LIMIT} bytes`);
        ctx.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return bwError(500, 'internal-server-error', 'Something went wrong in the sandbox');
      })
      .then((response) => send(res, response), () => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  ctx.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  loopBackOwnNumbers(ctx, callbacks);
  if (personasOn) new Personas(ctx, callbacks).start();

  return {
    ...urls(),
    accountId,
    applicationId,
    siteId: ctx.siteId,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    apiUser: credentials.apiUser,
    get numbers() {
      return ctx.numbers.map((n) => ({ ...n }));
    },
    async stop() {
      scheduler.stop();
      callbacks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
