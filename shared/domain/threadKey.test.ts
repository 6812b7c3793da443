import { describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { threadKey } from './threadKey';

describe('threadKey', () => {
  it('keys every writing of the same numbers alike', () => {
    const a = threadKey('+19195550100', ['(919) 555-1234']);
    const b = threadKey('919-555-0100', ['+19195551234']);
    const c = threadKey('9195550100', ['919.555.1234', '+1 919 555 1234']);
    expect(a).toEqual({ ourNumber: '+19195550100', participants: ['+19195551234'], key: '+19195550100>+19195551234' });
    expect(b.key).toBe(a.key);
    expect(c.key).toBe(a.key);
  });

  it('sorts group participants and drops our own number', () => {
    const outbound = threadKey('+19195550100', ['+19195559999', '+19195551234']);
    const inbound = threadKey('+19195550100', ['+19195551234', '+19195550100', '(919) 555-9999']);
    expect(outbound.participants).toEqual(['+19195551234', '+19195559999']);
    expect(inbound.key).toBe(outbound.key);
  });

  it('tells apart threads of different sender numbers', () => {
    expect(threadKey('+19195550100', ['+19195551234']).key).not.toBe(threadKey('+19195550101', ['+19195551234']).key);
  });

  it('refuses invalid numbers and conversations with nobody else', () => {
    expect(() => threadKey('+19195550100', ['12'])).toThrow(AppError);
    expect(() => threadKey('nope', ['+19195551234'])).toThrow(/not a valid phone number/);
    expect(() => threadKey('+19195550100', ['919-555-0100'])).toThrow(/at least one other participant/);
  });
});
