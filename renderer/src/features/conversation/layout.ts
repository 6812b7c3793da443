import { CARRIER_OPT_OUT } from '../../../../shared/domain/errorCodes';
import { keywordOf, type Keyword } from '../../../../shared/domain/keywords';
import type { Message } from '../../../../shared/ipc/schemas';
import { longDate, longDateYear } from '../ui/dates';

export type Row =
  /** Nothing older exists: the conversation starts here. */
  | { kind: 'beginning'; key: string }
  | { kind: 'day'; key: string; label: string }
  /**
   * A line the system writes into the conversation: the customer opted out or back in, by a keyword they texted, as the
   * carrier reported (a failure 4775), or (`now`) as the thread says they are when no line above says so.
   */
  | { kind: 'system'; key: string; event: 'opted-out' | 'opted-in'; number: string; source: 'keyword' | 'carrier' | 'now' }
  | { kind: 'message'; key: string; message: Message; groupStart: boolean; groupEnd: boolean; showSender: boolean };

/** Consecutive messages from one sender closer than this are drawn as one group. */
const GROUP_GAP_MS = 5 * 60_000;

/**
 * When a message went, or will go, as the conversation shows and orders it: a scheduled (or quiet-hours held)
 * message that has gone went at its send time, not when it was written. A message still waiting stays where it was
 * written (its bubble says when it will go): it joins the conversation when it goes. The send queue releases a
 * message at sendAt (later only if the app was closed then); the Message records no separate moment of sending.
 */
export const shownAt = (m: Message) => (m.sendAt !== null && m.status !== 'scheduled' && m.direction === 'out' ? m.sendAt : m.createdAt);

const dayKey = (t: number) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
};

export function dayLabel(t: number, now: number): string {
  if (dayKey(t) === dayKey(now)) return 'Today';
  if (dayKey(t) === dayKey(now - 86_400_000)) return 'Yesterday';
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  return sameYear ? longDate(t) : longDateYear(t);
}

/**
 * What the rows need to know of a message that costs something to work out (a Date, a scan of the text). The rows
 * are rebuilt over every loaded message whenever a page arrives; a message object never changes (an update replaces
 * it), so this is worked out once per message.
 */
const factsByMessage = new WeakMap<Message, { day: string; keyword: Keyword | null }>();
function factsOf(message: Message): { day: string; keyword: Keyword | null } {
  let facts = factsByMessage.get(message);
  if (!facts) {
    facts = { day: dayKey(shownAt(message)), keyword: message.direction === 'in' ? keywordOf(message.text) : null };
    factsByMessage.set(message, facts);
  }
  return facts;
}

const sameGroup = (a: Message, b: Message) =>
  a.direction === b.direction && a.from === b.from && shownAt(b) - shownAt(a) < GROUP_GAP_MS && factsOf(a).day === factsOf(b).day;

/**
 * The loaded messages (in the core's order, by createdAt) ordered by shownAt: a sent scheduled message moves down to
 * when it went. Only the loaded pages are ordered: one written before the oldest loaded page but sent within the
 * loaded ones shows once that page is loaded. Most conversations have none to move, and keep their array.
 */
function inSendOrder(messages: readonly Message[]): readonly Message[] {
  if (!messages.some((m) => shownAt(m) !== m.createdAt)) return messages;
  // Array#sort is stable: messages shown at the same time keep the core's order.
  return [...messages].sort((a, b) => shownAt(a) - shownAt(b));
}

/** A system line's words; `name` is how the conversation names its number. */
export function systemText(row: Extract<Row, { kind: 'system' }>, name: string): string {
  const blocked = 'Sending is blocked until they text START.';
  if (row.event === 'opted-in') return row.source === 'now' ? `${name} is no longer opted out: sending is allowed again.` : `${name} opted back in.`;
  if (row.source === 'carrier') return `${name} opted out (reported by the carrier). ${blocked}`;
  return row.source === 'now' ? `${name} is opted out. ${blocked}` : `${name} opted out. ${blocked}`;
}

/**
 * The conversation's rows in display order (oldest first): a day separator before each new day, and each message
 * marked as the start/end of a run from one sender. In a group thread the sender's name goes on the first inbound
 * bubble of each run. `beginning` says no older messages exist, and puts a line for it above the first. `optedOut` is
 * the thread's flag (null while the thread is not known): the last opt-out/opt-in line must agree with it.
 */
export function buildRows(loaded: readonly Message[], isGroup: boolean, now: number, beginning: boolean, optedOut: boolean | null): Row[] {
  const rows: Row[] = beginning && loaded.length > 0 ? [{ kind: 'beginning', key: 'beginning' }] : [];
  const messages = inSendOrder(loaded);
  messages.forEach((message, i) => {
    const prev = messages[i - 1];
    const next = messages[i + 1];
    const { day, keyword: said } = factsOf(message);
    if (!prev || factsOf(prev).day !== day) {
      rows.push({ kind: 'day', key: `day-${day}`, label: dayLabel(shownAt(message), now) });
    }
    const groupStart = !prev || !sameGroup(prev, message);
    const groupEnd = !next || !sameGroup(message, next);
    rows.push({ kind: 'message', key: message.id, message, groupStart, groupEnd, showSender: isGroup && message.direction === 'in' && groupStart });
    // The engine acts on keywords and the carrier's opt-outs in one-to-one conversations only; say so where it happened.
    if (isGroup) return;
    if (said === 'opt-out' || said === 'opt-in') {
      rows.push({ kind: 'system', key: `system-${message.id}`, event: said === 'opt-out' ? 'opted-out' : 'opted-in', number: message.from, source: 'keyword' });
    } else if (message.status === 'failed' && message.errorCode === CARRIER_OPT_OUT && message.to[0] !== undefined) {
      rows.push({ kind: 'system', key: `system-${message.id}`, event: 'opted-out', number: message.to[0], source: 'carrier' });
    }
  });
  // The thread's flag also changes without a line here (the agent, an older page, a rule the lines cannot see, such
  // as a START before a 4775 not undoing it): when the last line says otherwise, the flag is what holds now.
  const last = rows.findLast((r) => r.kind === 'system');
  if (last && optedOut !== null && (last.event === 'opted-out') !== optedOut) {
    rows.push({ kind: 'system', key: 'system-now', event: optedOut ? 'opted-out' : 'opted-in', number: last.number, source: 'now' });
  }
  return rows;
}
