import { toE164 } from '../../../../shared/domain/phone';
import type { Message, MessageStatus } from '../../../../shared/ipc/schemas';
import type { Db } from '../store/database';
import { transaction } from '../store/database';
import { advanceDeliveryStatus, advanceMessageStatus, listAwaitingReceipt, messageIdByBandwidthId, type StatusChange, type StatusResult } from '../store/messages';
import { deliveryFailed } from '../store/optOuts';
import type { EngineContext } from './context';
import { publish } from './context';

/** Bandwidth's list statuses (REFERENCE.md §2.2) in our terms; the rest mean "still on its way". */
const LISTED: Record<string, MessageStatus> = { SENT: 'sent', DELIVERED: 'delivered', FAILED: 'failed', UNDELIVERED: 'failed' };

/** Whether the attempt looked up is still the message's: the agent may have retried it while the lookup was out. */
const stillCurrent = (db: Db, message: Message) => messageIdByBandwidthId(db, 'out', message.bandwidthId!) === message.id;

/**
 * A listed status and, for a failure, what it means beyond the message (a 4775 opts the recipient out), together.
 * The list gives no failure time: Bandwidth's receive time of the send stands for it (on Bandwidth's clock, as the
 * customer's keywords are), and our clock only when it is missing.
 */
function advanceListed(db: Db, message: Message, recipient: string, change: StatusChange, failedAt: number): StatusResult | null {
  if (!stillCurrent(db, message)) return null;
  const result = advanceDeliveryStatus(db, message.id, recipient, change);
  if (result && change.status === 'failed') deliveryFailed(db, { ourNumber: message.from, recipient, errorCode: change.errorCode ?? null, at: failedAt });
  return result;
}

export interface ReconcileOptions {
  /** A message is looked up once it has waited this long for a receipt since its last change. */
  quietForMs?: number;
  /** Lookups per pass: the list endpoint allows 3500 requests per 5 minutes. */
  batch?: number;
}

/**
 * After a gap (app closed, tunnel down) status callbacks may be lost: outbound messages still waiting for a
 * final status are looked up in Bandwidth's message list; those with no receipt after the configured time
 * are marked no-receipt (a late receipt still settles them). Inbound text cannot be recovered this way:
 * Bandwidth never stores it.
 */
export function createReconciler(ctx: EngineContext, options: ReconcileOptions = {}) {
  const quietForMs = options.quietForMs ?? 60_000;
  const batch = options.batch ?? 100;
  let running: Promise<number> | null = null;
  let stopped = false;
  /**
   * Where the last pass stopped: each pass takes the next batch and wraps around, so messages that stay unsettled
   * (a receipt that never comes) cannot take every pass while newer ones are never looked up.
   */
  let cursor: { updatedAt: number; id: string } | undefined;

  async function lookUp(message: Message): Promise<Message | null> {
    const page = await ctx.client.messaging.listMessages({ messageId: message.bandwidthId!, limit: 100 });
    let latest: Message | null = null;
    for (const row of page.messages) {
      const status = row.messageStatus ? LISTED[row.messageStatus.toUpperCase()] : undefined;
      const recipient = row.destinationTn ? toE164(row.destinationTn) : null;
      if (!status || !recipient) continue;
      const at = ctx.clock.now();
      const change = { status, at, errorCode: status === 'failed' ? row.errorCode : null, errorDetail: null };
      const result = transaction(ctx.db, advanceListed)(ctx.db, message, recipient, change, row.receiveTime ?? at);
      if (result?.changed) latest = result.message;
    }
    return latest;
  }

  async function pass(): Promise<number> {
    const now = ctx.clock.now();
    const updatedBefore = now - quietForMs;
    let waiting = listAwaitingReceipt(ctx.db, { updatedBefore, limit: batch, after: cursor });
    if (waiting.length < batch && cursor) {
      const seen = new Set(waiting.map((m) => m.id));
      waiting = waiting.concat(listAwaitingReceipt(ctx.db, { updatedBefore, limit: batch - waiting.length }).filter((m) => !seen.has(m.id)));
    }
    const last = waiting.at(-1);
    cursor = last ? { updatedAt: last.updatedAt, id: last.id } : undefined;
    waiting = waiting.filter((m) => m.bandwidthId);
    const changed: Message[] = [];
    for (const message of waiting) {
      // A lookup can take seconds: the engine may be stopping (quit, account switch) and closing the database.
      if (stopped) break;
      try {
        const updated = await lookUp(message);
        if (updated) changed.push(updated);
        else if (message.status !== 'no-receipt' && now - message.createdAt > ctx.settings().noReceiptAfterMs && stillCurrent(ctx.db, message)) {
          const result = advanceMessageStatus(ctx.db, message.id, { status: 'no-receipt', at: now });
          if (result?.changed) changed.push(result.message);
        }
      } catch (error) {
        ctx.logger.warn('reconciliation stopped early; will try again', { error: String(error) });
        break;
      }
    }
    publish(ctx, 'message.statusChanged', changed);
    return changed.length;
  }

  return {
    /** One pass; concurrent calls share it. Resolves with how many messages changed. */
    run(): Promise<number> {
      if (stopped) return Promise.resolve(0);
      running ??= pass().finally(() => (running = null));
      return running;
    },
    /** Ends the pass in flight after its current lookup, and starts no more. */
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}
