import type { Message, Settings } from '../../../../shared/ipc/schemas';
import type { AccountConfig } from '../bandwidth/account';
import type { BandwidthClient } from '../bandwidth/client';
import type { Clock, Logger } from '../platform/ports';
import type { EventBus } from '../rpc/rpcServer';
import type { Db } from '../store/database';
import { getThread, getThreadsByIds, getThreadsPreviewing } from '../store/threads';

/** What every use case of the message engine works with, for one account. */
export interface EngineContext {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  dataDir: string;
  account: AccountConfig;
  client: BandwidthClient;
  settings(): Settings;
}

/**
 * Tells the renderer about messages that changed, and the threads whose rows changed with them: every thread of a
 * new or edited message, but for a status change only the threads it is the preview of (a queue of sends to one
 * customer changes that row once, not once per message). One query for all the threads of a batch.
 */
export function publish(ctx: EngineContext, event: 'message.created' | 'message.statusChanged' | 'message.updated', messages: readonly Message[]): void {
  if (messages.length === 0) return;
  for (const message of messages) ctx.bus.emit(event, { message });
  const threads =
    event === 'message.statusChanged'
      ? getThreadsPreviewing(ctx.db, messages)
      : getThreadsByIds(ctx.db, [...new Set(messages.map((m) => m.threadId))]).values();
  for (const thread of threads) ctx.bus.emit('thread.updated', { thread });
}

export function publishThread(ctx: EngineContext, threadId: string): void {
  const thread = getThread(ctx.db, threadId);
  if (thread) ctx.bus.emit('thread.updated', { thread });
}

/**
 * Our id rides in Bandwidth's `tag` (echoed in every status callback), so a callback can be matched to its
 * message even when the app died between Bandwidth's 202 and recording it.
 */
export const bandwidthTag = (messageId: string) => `sb:${messageId}`;
export const messageIdFromTag = (tag: string | null): string | null => tag?.match(/^sb:(\S+)$/)?.[1] ?? null;
