import { describe, expect, it } from 'vitest';
import { aMessage } from '../../testing/fixtures';
import { buildRows, dayLabel, shownAt } from './layout';

const at = (y: number, mo: number, d: number, h: number, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('buildRows', () => {
  it('puts a day separator before each new day and groups consecutive messages from one sender', () => {
    const messages = [
      aMessage({ id: 'a', direction: 'in', from: '+19195551234', createdAt: at(2026, 11, 25, 9, 0) }),
      aMessage({ id: 'b', direction: 'in', from: '+19195551234', createdAt: at(2026, 11, 25, 9, 2) }),
      aMessage({ id: 'c', direction: 'out', createdAt: at(2026, 11, 25, 9, 3) }),
      aMessage({ id: 'd', direction: 'out', createdAt: at(2026, 11, 26, 8, 0) }),
    ];
    const rows = buildRows(messages, false, at(2026, 11, 26, 12), false);
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
    const rows = buildRows(messages, true, at(2026, 11, 26, 12), false).filter((r) => r.kind === 'message');
    expect(rows.map((r) => r.showSender)).toEqual([true, true, true]);
    expect(buildRows(messages, false, at(2026, 11, 26, 12), false).some((r) => r.kind === 'message' && r.showSender)).toBe(false);
  });

  it('writes a system line after a STOP or START in a one-to-one conversation, not in a group', () => {
    const messages = [
      aMessage({ id: 'a', direction: 'in', from: '+19195551234', text: 'Stop', createdAt: at(2026, 11, 26, 9, 0) }),
      aMessage({ id: 'b', direction: 'out', text: 'stop', createdAt: at(2026, 11, 26, 9, 1) }),
      aMessage({ id: 'c', direction: 'in', from: '+19195551234', text: 'START', createdAt: at(2026, 11, 26, 9, 2) }),
      aMessage({ id: 'd', direction: 'in', from: '+19195551234', text: 'please stop', createdAt: at(2026, 11, 26, 9, 3) }),
    ];
    const rows = buildRows(messages, false, at(2026, 11, 26, 12), false);
    expect(rows.map((r) => (r.kind === 'system' ? r.event : r.key))).toEqual(['day-2026-11-26', 'a', 'opted-out', 'b', 'c', 'opted-in', 'd']);
    expect(buildRows(messages, true, at(2026, 11, 26, 12), false).some((r) => r.kind === 'system')).toBe(false);
  });

  it('starts with a beginning line only when nothing older exists and there is something to show', () => {
    const messages = [aMessage({ id: 'a', createdAt: at(2026, 11, 26, 9, 0) })];
    expect(buildRows(messages, false, at(2026, 11, 26, 12), true).map((r) => r.kind)).toEqual(['beginning', 'day', 'message']);
    expect(buildRows(messages, false, at(2026, 11, 26, 12), false)[0]!.kind).toBe('day');
    expect(buildRows([], false, at(2026, 11, 26, 12), true)).toEqual([]);
  });

  it('places a scheduled message that has gone at its send time, and one still waiting where it was written', () => {
    const messages = [
      aMessage({ id: 'sched', status: 'delivered', createdAt: at(2026, 11, 26, 12, 29), sendAt: at(2026, 11, 26, 12, 32) }),
      aMessage({ id: 'out', status: 'delivered', createdAt: at(2026, 11, 26, 12, 31) }),
      aMessage({ id: 'in', direction: 'in', status: 'received', from: '+19195551234', createdAt: at(2026, 11, 26, 12, 31, 30) }),
      aMessage({ id: 'later', status: 'scheduled', createdAt: at(2026, 11, 26, 12, 31, 40), sendAt: at(2026, 11, 27, 9) }),
    ];
    const keys = buildRows(messages, false, at(2026, 11, 26, 13), false).map((r) => r.key);
    expect(keys).toEqual(['day-2026-11-26', 'out', 'in', 'later', 'sched']);
    // Sent the next day: it goes under that day's separator.
    const overnight = [
      aMessage({ id: 'held', status: 'sent', createdAt: at(2026, 11, 25, 22), sendAt: at(2026, 11, 26, 8) }),
      aMessage({ id: 'late', status: 'sent', createdAt: at(2026, 11, 25, 23) }),
    ];
    expect(buildRows(overnight, false, at(2026, 11, 26, 13), false).map((r) => (r.kind === 'day' ? r.label : r.key))).toEqual(['Yesterday', 'late', 'Today', 'held']);
    // Nothing to move: the rows follow the array as the core ordered it.
    expect(shownAt(messages[1]!)).toBe(messages[1]!.createdAt);
  });

  it('labels older days by date', () => {
    expect(dayLabel(at(2026, 11, 20, 9), at(2026, 11, 26, 12))).not.toMatch(/Today|Yesterday/);
  });
});
