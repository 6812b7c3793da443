import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES } from '../ipc/schemas';
import type { MessageStatus } from '../ipc/schemas';
import { isFinalStatus, reduceStatus, summarizeDeliveries } from './deliveryStatus';

const advance = (status: MessageStatus) => ({ type: 'advance', status }) as const;
const run = (start: MessageStatus, steps: MessageStatus[]) => steps.reduce((s, step) => reduceStatus(s, advance(step)), start);

describe('reduceStatus', () => {
  it('walks the whole outbound path forward', () => {
    const seen: MessageStatus[] = [];
    let status: MessageStatus = 'scheduled';
    for (const step of ['queued', 'sending', 'accepted', 'sent', 'delivered'] as const) {
      status = reduceStatus(status, advance(step));
      seen.push(status);
    }
    expect(seen).toEqual(['queued', 'sending', 'accepted', 'sent', 'delivered']);
  });

  it('lets steps be skipped', () => {
    expect(run('queued', ['accepted', 'delivered'])).toBe('delivered');
    expect(run('sending', ['failed'])).toBe('failed');
  });

  it('never moves backwards on late or duplicate events', () => {
    expect(run('sent', ['sending', 'accepted', 'queued', 'scheduled', 'sent'])).toBe('sent');
    expect(run('delivered', ['sent', 'failed', 'no-receipt', 'delivered'])).toBe('delivered');
    expect(run('failed', ['delivered', 'queued', 'sending'])).toBe('failed');
  });

  it('whatever the order of events, ends where the most advanced event says', () => {
    const permutations = (items: MessageStatus[]): MessageStatus[][] =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
    const orders = permutations(['queued', 'sending', 'accepted', 'sent', 'delivered']);
    expect(orders).toHaveLength(120);
    for (const order of orders) expect(run('queued', order)).toBe('delivered');
  });

  it('treats no-receipt as settled later by a real receipt, and only after Bandwidth took the message', () => {
    expect(run('accepted', ['no-receipt'])).toBe('no-receipt');
    expect(run('sent', ['no-receipt', 'delivered'])).toBe('delivered');
    expect(run('accepted', ['no-receipt', 'failed'])).toBe('failed');
    expect(run('queued', ['no-receipt'])).toBe('queued');
    expect(run('sending', ['no-receipt'])).toBe('sending');
  });

  it('leaves inbound messages alone and never turns an outbound one into received', () => {
    for (const status of MESSAGE_STATUSES) expect(reduceStatus('received', advance(status))).toBe('received');
    expect(run('sent', ['received'])).toBe('sent');
  });

  it('goes back from failed only by an explicit retry', () => {
    expect(reduceStatus('failed', { type: 'retry' })).toBe('queued');
    for (const status of MESSAGE_STATUSES.filter((s) => s !== 'failed')) {
      expect(reduceStatus(status, { type: 'retry' })).toBe(status);
    }
  });

  it('knows which statuses are final', () => {
    expect(MESSAGE_STATUSES.filter(isFinalStatus)).toEqual(['delivered', 'failed', 'received']);
  });
});

describe('summarizeDeliveries', () => {
  it('is the recipient status for a single recipient', () => {
    for (const status of ['queued', 'accepted', 'delivered', 'failed', 'no-receipt'] as const) {
      expect(summarizeDeliveries([status]).status).toBe(status);
    }
  });

  it('follows the slowest recipient while any is open', () => {
    expect(summarizeDeliveries(['delivered', 'sent', 'accepted'])).toEqual({ status: 'accepted', total: 3, delivered: 1, failed: 0, pending: 2 });
    expect(summarizeDeliveries(['failed', 'sent']).status).toBe('sent');
    expect(summarizeDeliveries(['delivered', 'no-receipt']).status).toBe('no-receipt');
  });

  it('is failed only when every recipient failed; a partial failure is delivered with a failed count', () => {
    expect(summarizeDeliveries(['failed', 'failed']).status).toBe('failed');
    expect(summarizeDeliveries(['failed', 'delivered', 'delivered'])).toEqual({ status: 'delivered', total: 3, delivered: 2, failed: 1, pending: 0 });
  });

  it('needs at least one recipient', () => {
    expect(() => summarizeDeliveries([])).toThrow(RangeError);
  });
});
