/**
 * The control API for tests and demos, under /__sandbox (no auth: the server listens on 127.0.0.1 only).
 *   GET   /__sandbox                    what the sandbox is (the ready line) plus settings and counters
 *   GET   /__sandbox/settings           current fault and timing settings
 *   PATCH /__sandbox/settings           change any of them (latencyMs, apiErrorRate, callbackDropRate, ...)
 *   POST  /__sandbox/callbacks/offline  {durationMs}: every callback attempt fails for that long
 *   GET   /__sandbox/callbacks          the delivery log (each attempt, its status and outcome)
 *   POST  /__sandbox/inbound            {from, to, text?, images?}: a customer (or a short code or sender name) texts us
 *   GET   /__sandbox/messages           what the sandbox received from the app (outbound, with text and status)
 *   POST  /__sandbox/personas           {paused}
 *   POST  /__sandbox/fail-next          {count, status?}: the next N messaging/media calls answer that error
 */
import { E164_FORM, isSenderId } from '../../../shared/ipc/schemas';
import type { CallbackDispatcher } from './callbacks';
import type { Request, Response } from './http';
import { json } from './http';
import type { InboundAttachment } from './inbound';
import { generateImage, receive } from './inbound';
import type { Context, SandboxSettings } from './model';
import { isoTime } from './model';

export interface FailNext {
  count: number;
  status: number;
}

function parse(req: Request): Record<string, unknown> | null {
  try {
    const value = JSON.parse(req.body.toString('utf8') || '{}') as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const invalid = (message: string) => json(400, { error: message });

export function createControlHandlers(ctx: Context, callbacks: CallbackDispatcher, info: () => Record<string, unknown>, failNext: FailNext) {
  return {
    info(): Response {
      return json(200, { ...info(), settings: ctx.settings, pendingCallbacks: callbacks.pendingCount(), messages: ctx.messages.size, media: ctx.media.size });
    },

    settings(): Response {
      return json(200, ctx.settings);
    },

    patchSettings(req: Request): Response {
      const body = parse(req);
      if (!body) return invalid('Body must be a JSON object');
      for (const [key, value] of Object.entries(body)) {
        if (!(key in ctx.settings)) return invalid(`Unknown setting '${key}'`);
        const current = ctx.settings[key as keyof SandboxSettings];
        if (typeof value !== typeof current) return invalid(`'${key}' must be a ${typeof current}`);
        if (typeof value === 'number' && (value < 0 || (key.endsWith('Rate') && value > 1))) return invalid(`'${key}' is out of range`);
      }
      Object.assign(ctx.settings, body);
      return json(200, ctx.settings);
    },

    offline(req: Request): Response {
      const durationMs = parse(req)?.durationMs;
      if (typeof durationMs !== 'number' || durationMs < 0) return invalid('durationMs (number) is required');
      ctx.settings.callbacksOfflineUntil = Date.now() + durationMs;
      return json(200, { offlineUntil: ctx.settings.callbacksOfflineUntil });
    },

    callbackLog(): Response {
      return json(200, { attempts: callbacks.attempts });
    },

    async inbound(req: Request): Promise<Response> {
      const body = parse(req);
      if (!body) return invalid('Body must be a JSON object');
      const to = typeof body.to === 'string' ? [body.to] : body.to;
      // Carriers and services text business numbers from short codes and sender names too.
      if (typeof body.from !== 'string' || !(E164_FORM.test(body.from) || isSenderId(body.from))) return invalid('from must be an E.164 number, a short code or a sender name');
      if (!Array.isArray(to) || to.length === 0 || !to.every((n) => typeof n === 'string' && E164_FORM.test(n))) return invalid('to must be an E.164 number or a list of them');
      if (!to.some((n) => ctx.numbers.some((owned) => owned.number === n))) return invalid('to must include a number the sandbox account owns');
      const text = typeof body.text === 'string' ? body.text : '';
      const images = typeof body.images === 'number' ? Math.min(Math.max(0, Math.floor(body.images)), 10) : 0;
      if (!text && images === 0) return invalid('text or images is required');
      const attachments: InboundAttachment[] = [];
      for (let i = 0; i < images; i += 1) {
        const file = await generateImage(`Picture ${i + 1}`, ['#0ea5e9', '#f59e0b', '#10b981'][i % 3] as string, i % 2 === 0 ? 'jpeg' : 'png');
        attachments.push({ ...file, name: `picture-${i + 1}.${file.name.split('.')[1]}` });
      }
      const ids = receive(ctx, callbacks, { from: body.from, to: to as string[], text, attachments });
      return json(201, { messageIds: ids });
    },

    messages(): Response {
      const out = [...ctx.messages.values()]
        .filter((m) => m.direction === 'out')
        .map((m) => ({
          id: m.id,
          from: m.from,
          to: m.to,
          text: m.text,
          media: m.media,
          tag: m.tag,
          priority: m.priority,
          segmentCount: m.segmentCount,
          time: isoTime(m.time),
          recipients: Object.fromEntries(m.recipients),
        }));
      return json(200, { messages: out });
    },

    personas(req: Request): Response {
      const paused = parse(req)?.paused;
      if (typeof paused !== 'boolean') return invalid('paused (boolean) is required');
      ctx.settings.personasPaused = paused;
      return json(200, { paused });
    },

    failNext(req: Request): Response {
      const body = parse(req);
      const count = body?.count;
      const status = body?.status ?? 500;
      if (typeof count !== 'number' || count < 0 || typeof status !== 'number' || status < 400 || status > 599) return invalid('count (number) and status (4xx/5xx) are required');
      failNext.count = count;
      failNext.status = status;
      return json(200, failNext);
    },
  };
}
