import { keywordOf } from '../../../../shared/domain/keywords';
import type { Message } from '../../../../shared/ipc/schemas';

export type Row =
  | { kind: 'day'; key: string; label: string }
  /** A line the system writes into the conversation: the customer opted out or back in. */
  | { kind: 'system'; key: string; event: 'opted-out' | 'opted-in'; number: string }
  | { kind: 'message'; key: string; message: Message; groupStart: boolean; groupEnd: boolean; showSender: boolean };

/** Consecutive messages from one sender closer than this are drawn as one group. */
const GROUP_GAP_MS = 5 * 60_000;

const dayKey = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
};

export function dayLabel(t: number, now: number): string {
  if (dayKey(t) === dayKey(now)) return 'Today';
  if (dayKey(t) === dayKey(now - 86_400_000)) return 'Yesterday';
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  return new Date(t).toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
}

const sameGroup = (a: Message, b: Message) =>
  a.direction === b.direction && a.from === b.from && b.createdAt - a.createdAt < GROUP_GAP_MS && dayKey(a.createdAt) === dayKey(b.createdAt);

/**
 * The conversation's rows in display order (oldest first): a day separator before each new day, and each message
 * marked as the start/end of a run from one sender. In a group thread the sender's name goes on the first inbound
 * bubble of each run.
 */
export function buildRows(messages: readonly Message[], isGroup: boolean, now: number): Row[] {
  const rows: Row[] = [];
  messages.forEach((message, i) => {
    const prev = messages[i - 1];
    const next = messages[i + 1];
    if (!prev || dayKey(prev.createdAt) !== dayKey(message.createdAt)) {
      rows.push({ kind: 'day', key: `day-${dayKey(message.createdAt)}`, label: dayLabel(message.createdAt, now) });
    }
    const groupStart = !prev || !sameGroup(prev, message);
    const groupEnd = !next || !sameGroup(message, next);
    rows.push({ kind: 'message', key: message.id, message, groupStart, groupEnd, showSender: isGroup && message.direction === 'in' && groupStart });
    // The engine acts on keywords in one-to-one conversations only; say so where it happened.
    const keyword = !isGroup && message.direction === 'in' ? keywordOf(message.text) : null;
    if (keyword === 'opt-out' || keyword === 'opt-in') {
      rows.push({ kind: 'system', key: `system-${message.id}`, event: keyword === 'opt-out' ? 'opted-out' : 'opted-in', number: message.from });
    }
  });
  return rows;
}
