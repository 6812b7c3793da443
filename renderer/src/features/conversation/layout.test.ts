import { describe, expect, it } from 'vitest';
import { aMessage } from '../../testing/fixtures';
import { buildRows, dayLabel, shownAt, systemText, type Row } from './layout';

const at = (y: number, mo: number, d: number, h: number, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('buildRows', () => {
  it('puts a day separator before each new day and groups consecutive messages from one sender', () => {
    const messages = [
      aMessage({ id: 'a', direction: 'in', from: '+19195551234', createdAt: at(2026, 11, 25, 9, 0) }),
      aMessage({ id: 'b', direction: 'in', from: '+19195551234', createdAt: at(2026, 11, 25, 9, 2) }),
      aMessage({ id: 'c', direction: 'out', createdAt: at(2026, 11, 25, 9, 3) }),
      aMessage({ id: 'd', direction: 'out', createdAt: at(2026, 11, 26, 8, 0) }),
    ];
    const rows = buildRows(messages, false, at(2026, 11, 26, 12), false, null);
    expect(rows.map((r) => (r.kind === 'day' ? r.label : r.key))).toEqual(['Yesterday', 'a', 'b', 'c', 'Today', 'd']);
    const groups = rows.flatMap((r) => (r.kind === 'message' ? [[r.key, r.groupStart, r.groupEnd]] : []));
    // A new day starts a new group even from the same sender.
    expect(groups).toEqual([
      ['a', true, false],
      ['b', false, true],
      ['c', true, true],
      ['d', true, true],
    ]);
  });

  it('breaks a group after a long pause and names the sender of each inbound run in a group thread', () => {
    const messages = [
      aMessage({ id: 'a', direction: 'in', from: '+19195551111', createdAt: at(2026, 11, 26, 9, 0) }),
      aMessage({ id: 'b', direction: 'in', from: '+19195552222', createdAt: at(2026, 11, 26, 9, 1) }),
      aMessage({ id: 'c', direction: 'in', from: '+19195552222', createdAt: at(2026, 11, 26, 9, 30) }),
    ];
    const rows = buildRows(messages, true, at(2026, 11, 26, 12), false, null).filter((r) => r.kind === 'message');
    expect(rows.map((r) => r.showSender)).toEqual([true, true, true]);
    expect(buildRows(messages, false, at(2026, 11, 26, 12), false, null).some((r) => r.kind === 'message' && r.showSender)).toBe(false);
  });

  it('writes a system line after a STOP or START in a one-to-one conversation, not in a group', () => {
    const messages = [
      aMessage({ id: 'a', direction: 'in', from: '+19195551234', text: 'Stop', createdAt: at(2026, 11, 26, 9, 0) }),
      aMessage({ id: 'b', direction: 'out', text: 'stop', createdAt: at(2026, 11, 26, 9, 1) }),
      aMessage({ id: 'c', direction: 'in', from: '+19195551234', text: 'START', createdAt: at(2026, 11, 26, 9, 2) }),
      aMessage({ id: 'd', direction: 'in', from: '+19195551234', text: 'please stop', createdAt: at(2026, 11, 26, 9, 3) }),
    ];
    const rows = buildRows(messages, false, at(2026, 11, 26, 12), false, false);
    expect(rows.map((r) => (r.kind === 'system' ? r.event : r.key))).toEqual(['day-2026-11-26', 'a', 'opted-out', 'b', 'c', 'opted-in', 'd']);
    expect(buildRows(messages, true, at(2026, 11, 26, 12), false, null).some((r) => r.kind === 'system')).toBe(false);
  });

  it('writes a line after a carrier opt-out (4775), and makes the last line agree with the thread’s flag', () => {
    const customer = '+19195551234';
    const messages = [
      aMessage({ id: 'a', direction: 'out', to: [customer], status: 'failed', errorCode: 4775, createdAt: at(2026, 11, 26, 9, 0) }),
      aMessage({ id: 'b', direction: 'out', to: [customer], status: 'failed', errorCode: 4720, createdAt: at(2026, 11, 26, 9, 1) }),
      aMessage({ id: 'c', direction: 'in', from: customer, text: 'START', createdAt: at(2026, 11, 26, 9, 2) }),
    ];
    const lines = (optedOut: boolean | null) =>
      buildRows(messages, false, at(2026, 11, 26, 12), false, optedOut).flatMap((r) => (r.kind === 'system' ? [[r.key, systemText(r, 'Riley')]] : []));
    // The START came after: the last line agrees with a thread no longer opted out, and nothing is added.
    expect(lines(false)).toEqual([
      ['system-a', 'Riley opted out (reported by the carrier). Sending is blocked until they text START.'],
      ['system-c', 'Riley opted back in.'],
    ]);
    // The thread still says opted out (the 4775 came in after the START, say): the last line says so.
    expect(lines(true).at(-1)).toEqual(['system-now', 'Riley is opted out. Sending is blocked until they text START.']);
    // The thread is not known yet: nothing to agree with.
    expect(lines(null)).toHaveLength(2);
    // A STOP whose opt-out is no longer in force (the agent lifted it).
    const stop = [aMessage({ id: 's', direction: 'in', from: customer, text: 'STOP', createdAt: at(2026, 11, 26, 9, 0) })];
    const rows = buildRows(stop, false, at(2026, 11, 26, 12), false, false).filter((r): r is Extract<Row, { kind: 'system' }> => r.kind === 'system');
    expect(rows.map((r) => systemText(r, 'Riley'))).toEqual([
      'Riley opted out. Sending is blocked until they text START.',
      'Riley is no longer opted out: sending is allowed again.',
    ]);
    // No line and no keyword in a group.
    expect(buildRows(messages, true, at(2026, 11, 26, 12), false, true).some((r) => r.kind === 'system')).toBe(false);
  });

  it('starts with a beginning line only when nothing older exists and there is something to show', () => {
    const messages = [aMessage({ id: 'a', createdAt: at(2026, 11, 26, 9, 0) })];
    expect(buildRows(messages, false, at(2026, 11, 26, 12), true, null).map((r) => r.kind)).toEqual(['beginning', 'day', 'message']);
    expect(buildRows(messages, false, at(2026, 11, 26, 12), false, null)[0]!.kind).toBe('day');
    expect(buildRows([], false, at(2026, 11, 26, 12), true, null)).toEqual([]);
  });

  it('places a scheduled message that has gone at its send time, and one still waiting where it was written', () => {
    const messages = [
      aMessage({ id: 'sched', status: 'delivered', createdAt: at(2026, 11, 26, 12, 29), sendAt: at(2026, 11, 26, 12, 32) }),
      aMessage({ id: 'out', status: 'delivered', createdAt: at(2026, 11, 26, 12, 31) }),
      aMessage({ id: 'in', direction: 'in', status: 'received', from: '+19195551234', createdAt: at(2026, 11, 26, 12, 31, 30) }),
      aMessage({ id: 'later', status: 'scheduled', createdAt: at(2026, 11, 26, 12, 31, 40), sendAt: at(2026, 11, 27, 9) }),
    ];
    const keys = buildRows(messages, false, at(2026, 11, 26, 13), false, null).map((r) => r.key);
    expect(keys).toEqual(['day-2026-11-26', 'out', 'in', 'later', 'sched']);
    // Sent the next day: it goes under that day's separator.
    const overnight = [
      aMessage({ id: 'held', status: 'sent', createdAt: at(2026, 11, 25, 22), sendAt: at(2026, 11, 26, 8) }),
      aMessage({ id: 'late', status: 'sent', createdAt: at(2026, 11, 25, 23) }),
    ];
    expect(buildRows(overnight, false, at(2026, 11, 26, 13), false, null).map((r) => (r.kind === 'day' ? r.label : r.key))).toEqual(['Yesterday', 'late', 'Today', 'held']);
    // Nothing to move: the rows follow the array as the core ordered it.
    expect(shownAt(messages[1]!)).toBe(messages[1]!.createdAt);
  });

  it('labels older days by date', () => {
    expect(dayLabel(at(2026, 11, 20, 9), at(2026, 11, 26, 12))).not.toMatch(/Today|Yesterday/);
  });
});
