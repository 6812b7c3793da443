import type { MessageStatus } from '../../../../shared/ipc/schemas';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Db } from './database';
import { stmt } from './database';
import { insertMessageRow } from './messages';
import { indexNewMessages } from './search';
import { upsertThread } from './threads';

export interface SeedOptions {
  threads: number;
  messagesPerThread: number;
  /** Sender numbers, used in turn; the default is one. */
  ourNumbers?: string[];
  /** Time of the oldest message (epoch ms) and the gap between consecutive messages across all threads. */
  start?: number;
  stepMs?: number;
  /** Every nth thread keeps its unread inbound messages (0: none does). */
  unreadEvery?: number;
  /** Every nth outbound message failed (0: none did). */
  failedEvery?: number;
}

const WORDS = ['hello', 'order', 'delivery', 'tomorrow', 'thanks', 'invoice', 'café', 'appointment', 'refund', 'schedule', 'photo', 'address', 'payment', 'question', 'ticket', 'support'];

/** The customer number of thread i: valid NANP numbers (919-220-0000 upwards), distinct for 800,000 threads. */
export const seedCustomerNumber = (i: number): string => `+1919${220 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;

/**
 * Fills a database with a realistic history quickly (one transaction, the same write path as the app, the search
 * index filled once at the end): for tests
 * and benchmarks. Deterministic: the same options give the same text, directions and statuses. Message j of
 * thread t is written at start + (j·threads + t)·stepMs, so the last thread has the newest activity.
 */
export function seedHistory(db: Db, options: SeedOptions): { threadIds: string[]; messageCount: number } {
  const ourNumbers = options.ourNumbers ?? ['+19195550100'];
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const stepMs = options.stepMs ?? 1000;
  const unreadEvery = options.unreadEvery ?? 10;
  const failedEvery = options.failedEvery ?? 50;
  let random = 42;
  // An LCG's low bits cycle quickly: use the high ones.
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) >>> 16;
  const sentence = () => Array.from({ length: 3 + (next() % 12) }, () => WORDS[next() % WORDS.length]).join(' ');

  return db.transaction(() => {
    const threadIds: string[] = [];
    for (let t = 0; t < options.threads; t++) {
      const our = ourNumbers[t % ourNumbers.length]!;
      const customer = seedCustomerNumber(t);
      const thread = upsertThread(db, threadKey(our, [customer]), start + t * stepMs);
      threadIds.push(thread.id);
      for (let j = 0; j < options.messagesPerThread; j++) {
        const inbound = j % 2 === 0;
        const outboundIndex = t * options.messagesPerThread + j;
        const status: MessageStatus = inbound ? 'received' : failedEvery > 0 && outboundIndex % failedEvery === 1 ? 'failed' : 'delivered';
        insertMessageRow(db, {
          threadId: thread.id,
          direction: inbound ? 'in' : 'out',
          from: inbound ? customer : our,
          to: [inbound ? our : customer],
          text: sentence(),
          status,
          createdAt: start + (j * options.threads + t) * stepMs,
          bandwidthId: `seed-${t}-${j}`,
          segments: 1,
          encoding: 'GSM-7',
        });
      }
      if (unreadEvery === 0 || t % unreadEvery !== 0) stmt(db, 'UPDATE threads SET unread = 0 WHERE id = ?').run(thread.id);
    }
    indexNewMessages(db);
    return { threadIds, messageCount: options.threads * options.messagesPerThread };
  })();
}
