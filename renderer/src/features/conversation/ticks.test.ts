import { describe, expect, it } from 'vitest';
import { aMessage } from '../../testing/fixtures';
import { carrierOnlyReceipt, deliveriesSummary, statusWord, tickFor } from './ticks';

describe('tickFor', () => {
  it('maps statuses to clock, one, two and failed', () => {
    expect(tickFor(aMessage({ status: 'queued' }))?.icon).toBe('clock');
    expect(tickFor(aMessage({ status: 'sending' }))?.icon).toBe('clock');
    expect(tickFor(aMessage({ status: 'accepted' }))?.icon).toBe('one');
    expect(tickFor(aMessage({ status: 'sent' }))?.icon).toBe('one');
    expect(tickFor(aMessage({ status: 'delivered' }))?.icon).toBe('two');
    expect(tickFor(aMessage({ status: 'failed', errorCode: 4720 }))).toEqual({ icon: 'failed', label: 'Not delivered (error 4720)' });
    expect(tickFor(aMessage({ direction: 'in', status: 'received' }))).toBeNull();
  });

  it('is honest that MMS and group "delivered" only means handed to the carrier', () => {
    expect(tickFor(aMessage({ status: 'delivered' }))?.label).toBe('Delivered to the phone');
    const mms = aMessage({ status: 'delivered', attachments: [{ id: 'a', name: 'a.png', contentType: 'image/png', size: 1, width: null, height: null, url: '/media/a', state: 'ready' }] });
    expect(tickFor(mms)?.label).toMatch(/Handed to the carrier/);
    expect(tickFor(aMessage({ status: 'delivered', to: ['+19195551111', '+19195552222'] }))?.label).toMatch(/Handed to the carrier/);
  });

  it('words each recipient of a group as honestly as the tick', () => {
    const deliveries = [
      { recipient: '+19195551111', status: 'delivered' as const, errorCode: null, updatedAt: 1 },
      { recipient: '+19195552222', status: 'sent' as const, errorCode: null, updatedAt: 1 },
    ];
    const group = aMessage({ status: 'sent', to: deliveries.map((d) => d.recipient), deliveries });
    expect(deliveriesSummary(group)).toBe('1 of 2 handed to the carrier');
    expect(statusWord('delivered', carrierOnlyReceipt(group))).toBe('Handed to the carrier');
    expect(statusWord('delivered', false)).toBe('Delivered');
    expect(statusWord('no-receipt', true)).toBe('No receipt');
  });

  it('flags a group send where some recipients failed', () => {
    const deliveries = [
      { recipient: '+19195551111', status: 'delivered' as const, errorCode: null, updatedAt: 1 },
      { recipient: '+19195552222', status: 'failed' as const, errorCode: 4720, updatedAt: 1 },
    ];
    expect(tickFor(aMessage({ status: 'delivered', to: deliveries.map((d) => d.recipient), deliveries }))).toEqual({ icon: 'warning', label: '1 of 2 handed to the carrier, 1 failed' });
  });
});
