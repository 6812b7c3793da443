import { describe, expect, it } from 'vitest';
import { describeFailure, rejectedFailure } from './errors';

const rejected = (status: number, body: unknown) => describeFailure(rejectedFailure(status, {}, typeof body === 'string' ? body : JSON.stringify(body), 0));

describe('describeFailure', () => {
  it('reads an HTTP rejection as Bandwidth refusing the request, with the status once', () => {
    // What the simulator's fail-next answers (as the UX audit saw it): its words carry the status already.
    const injected = rejected(400, { type: 'request-error', description: 'Injected failure (HTTP 400)' });
    expect(injected).toBe('Bandwidth refused the request: Injected failure (HTTP 400 request-error)');
    expect(injected.match(/HTTP 400/g)).toHaveLength(1);
    expect(injected).not.toMatch(/carrier/i);
    expect(
      rejected(400, { type: 'request-validation', description: 'Your request could not be accepted', fieldErrors: [{ fieldName: 'to', description: 'not a valid number' }] }),
    ).toBe('Bandwidth refused the request: Your request could not be accepted (to: not a valid number) (HTTP 400 request-validation)');
  });

  it('does not say Bandwidth twice when only the status speaks, and calls a 5xx a server error', () => {
    expect(rejected(400, '<html>')).toBe('Bandwidth refused the request as invalid (HTTP 400)');
    expect(rejected(418, '')).toBe('Bandwidth refused the request (HTTP 418)');
    expect(rejected(503, { type: 'internal-server-error', description: 'Try later' })).toBe('Bandwidth had a server error: Try later (HTTP 503 internal-server-error)');
  });
});
