import { describe, expect, it } from 'vitest';
import { aMessage } from '../../testing/fixtures';
import { lastFailures } from './lastFailure';

const DANA = '+19195554720';
const SAM = '+19195552222';

describe('lastFailures', () => {
  it('names the failure of the last settled message to a number, with the reason in plain words', () => {
    const messages = [aMessage({ to: [DANA], status: 'delivered' }), aMessage({ to: [DANA], status: 'failed', errorCode: 4720 }), aMessage({ to: [DANA], status: 'queued' })];
    expect(lastFailures(messages, [DANA])).toEqual([{ number: DANA, reason: expect.stringMatching(/^The recipient number cannot receive messages.* Error 4720\.$/) as string }]);
  });

  it('says nothing once a later message was delivered, or when nothing was sent', () => {
    expect(lastFailures([aMessage({ to: [DANA], status: 'failed', errorCode: 4720 }), aMessage({ to: [DANA], status: 'delivered' })], [DANA])).toEqual([]);
    expect(lastFailures([aMessage({ direction: 'in', from: DANA, status: 'received' })], [DANA])).toEqual([]);
  });

  it('reads each recipient of a group message from its own delivery', () => {
    const deliveries = [
      { recipient: DANA, status: 'failed' as const, errorCode: 4720, updatedAt: 1 },
      { recipient: SAM, status: 'delivered' as const, errorCode: null, updatedAt: 1 },
    ];
    const failures = lastFailures([aMessage({ to: [DANA, SAM], status: 'delivered', deliveries })], [DANA, SAM]);
    expect(failures.map((f) => f.number)).toEqual([DANA]);
    expect(lastFailures([aMessage({ to: [DANA], status: 'failed', errorCode: null, errorDetail: 'Not sent: the number is invalid' })], [DANA])[0]?.reason).toBe('Not sent: the number is invalid');
  });
});
