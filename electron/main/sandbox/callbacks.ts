/**
 * Delivers webhooks the way Bandwidth does (REFERENCE.md §6): one event per POST, as a JSON array, to the
 * application's InboundCallbackUrl (message-received) or OutboundCallbackUrl (status events). Basic auth is
 * challenge-first: the first POST carries no credentials, and they are sent only after a 401 that carries
 * `WWW-Authenticate`. Anything but a 2xx within the timeout is retried on a back-off schedule until the retry
 * window closes; while the application has no URL the event waits. At-least-once: faults set through the
 * control API can drop, duplicate or reorder callbacks.
 */
import type { Application, CallbackCreds, CallbackSchedule, Context } from './model';

export type CallbackKind = 'inbound' | 'status';

export interface CallbackEvent {
  type: string;
  time: string;
  to: string;
  description: string;
  errorCode?: number;
  message: Record<string, unknown>;
}

export interface CallbackAttempt {
  at: number;
  kind: CallbackKind;
  type: string;
  messageId: string;
  to: string;
  url: string | null;
  /** HTTP status of the final request of this attempt, or null when unreachable/offline. */
  status: number | null;
  withCredentials: boolean;
  outcome: 'delivered' | 'failed' | 'dropped' | 'expired' | 'no-url';
  error?: string;
}

interface Delivery {
  kind: CallbackKind;
  event: CallbackEvent;
  firstAt: number;
  attempt: number;
}

const MAX_LOG = 2000;

export class CallbackDispatcher {
  /** Waiting because the application has no URL for their kind yet. */
  private readonly waiting: Delivery[] = [];
  private readonly inflight = new Set<AbortController>();
  readonly attempts: CallbackAttempt[] = [];

  constructor(
    private readonly ctx: Context,
    private readonly schedule: CallbackSchedule,
  ) {}

  /** Queues one event, `delayMs` (simulated) from now, applying the configured faults. */
  enqueue(kind: CallbackKind, event: CallbackEvent, delayMs = 0): void {
    const { settings, rng } = this.ctx;
    const delivery: Delivery = { kind, event, firstAt: Date.now(), attempt: 0 };
    if (rng() < settings.callbackDropRate) {
      this.record(delivery, null, { status: null, withCredentials: false, outcome: 'dropped' });
      return;
    }
    const copies = rng() < settings.callbackDuplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i += 1) {
      const extra = settings.callbackDelayMs + (settings.callbackReorderMs > 0 ? rng() * settings.callbackReorderMs : 0);
      this.later({ ...delivery }, delayMs + extra);
    }
  }

  /** The application's URLs changed: deliver what was waiting for them. */
  applicationChanged(): void {
    const ready = this.waiting.splice(0);
    for (const delivery of ready) this.later(delivery, 0);
  }

  pendingCount(): number {
    return this.waiting.length;
  }

  stop(): void {
    for (const controller of this.inflight) controller.abort();
    this.inflight.clear();
    this.waiting.length = 0;
  }

  private later(delivery: Delivery, delayMs: number): void {
    this.ctx.scheduler.after(delayMs, () => this.attempt(delivery), (error) => this.ctx.log(`callback error: ${String(error)}`));
  }

  private target(app: Application | undefined, kind: CallbackKind): { url?: string; creds?: CallbackCreds } {
    if (!app) return {};
    return kind === 'inbound'
      ? { url: app.inboundCallbackUrl, creds: app.inboundCallbackCreds }
      : { url: app.outboundCallbackUrl, creds: app.outboundCallbackCreds };
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const app = this.ctx.applications.get(String(delivery.event.message.applicationId));
    // An application that lists RequestedCallbackTypes gets only those status events; an empty list means all.
    const wanted = app?.requestedCallbackTypes ?? [];
    if (delivery.kind === 'status' && wanted.length > 0 && !wanted.includes(delivery.event.type)) return;
    const { url, creds } = this.target(app, delivery.kind);
    if (!url) {
      if (this.expired(delivery)) return this.record(delivery, null, { status: null, withCredentials: false, outcome: 'expired' });
      this.record(delivery, null, { status: null, withCredentials: false, outcome: 'no-url' });
      this.waiting.push(delivery);
      return;
    }
    delivery.attempt += 1;
    if (Date.now() < this.ctx.settings.callbacksOfflineUntil) {
      this.record(delivery, url, { status: null, withCredentials: false, outcome: 'failed', error: 'callbacks offline' });
      return this.retry(delivery);
    }
    try {
      let status = await this.post(url, delivery.event);
      let withCredentials = false;
      if (status.code === 401 && /^Basic\b/i.test(status.challenge ?? '') && creds) {
        withCredentials = true;
        status = await this.post(url, delivery.event, creds);
      }
      const ok = status.code >= 200 && status.code < 300;
      this.record(delivery, url, { status: status.code, withCredentials, outcome: ok ? 'delivered' : 'failed' });
      if (!ok) this.retry(delivery);
    } catch (error) {
      if (this.ctx.scheduler.stoppedAlready) return;
      this.record(delivery, url, { status: null, withCredentials: false, outcome: 'failed', error: error instanceof Error ? error.message : String(error) });
      this.retry(delivery);
    }
  }

  private async post(url: string, event: CallbackEvent, creds?: CallbackCreds): Promise<{ code: number; challenge: string | null }> {
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.schedule.timeoutMs);
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'BandwidthAPI/v2' };
      if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.userId}:${creds.password}`).toString('base64')}`;
      // Only a 2xx counts (REFERENCE.md §6): redirects are not followed.
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify([event]), signal: controller.signal, redirect: 'manual' });
      await response.arrayBuffer().catch(() => undefined);
      return { code: response.status, challenge: response.headers.get('www-authenticate') };
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private expired(delivery: Delivery, delayMs = 0): boolean {
    return Date.now() + delayMs * this.ctx.scheduler.scale - delivery.firstAt > this.schedule.retryWindowMs * this.ctx.scheduler.scale;
  }

  private retry(delivery: Delivery): void {
    const delays = this.schedule.retryDelaysMs;
    const delay = delays[Math.min(delivery.attempt - 1, delays.length - 1)] ?? 1000;
    if (this.expired(delivery, delay)) {
      this.record(delivery, null, { status: null, withCredentials: false, outcome: 'expired' });
      return;
    }
    this.later(delivery, delay);
  }

  private record(delivery: Delivery, url: string | null, result: Pick<CallbackAttempt, 'status' | 'withCredentials' | 'outcome' | 'error'>): void {
    this.attempts.push({
      at: Date.now(),
      kind: delivery.kind,
      type: delivery.event.type,
      messageId: String(delivery.event.message.id),
      to: delivery.event.to,
      url,
      ...result,
    });
    if (this.attempts.length > MAX_LOG) this.attempts.splice(0, this.attempts.length - MAX_LOG);
    if (result.outcome !== 'delivered' && result.outcome !== 'no-url') {
      this.ctx.log(`callback ${delivery.event.type} → ${url ?? '(no url)'}: ${result.outcome}${result.status ? ` ${result.status}` : ''}${result.error ? ` (${result.error})` : ''}`);
    }
  }
}
