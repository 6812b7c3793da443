import { describe, expect, it } from 'vitest';
import { KNOWN_ERROR_CODES, explainErrorCode, explainFailure, optedOutWhileWaiting, retryUsedUp, unknownIfSent } from './errorCodes';

/** Every code of REFERENCE.md §6.2 (including the two only the CLI cites), copied by hand from the table. */
const REFERENCE_CODES = [
  4001, 4301, 4302, 4303, 4350, 4360, 4401, 4403, 4404, 4405, 4406, 4407, 4408, 4409, 4410, 4411, 4412, 4420, 4421,
  4431, 4432, 4433, 4434, 4435, 4451, 4452, 4470, 4476, 4481, 4482, 4492, 4493,
  4700, 4701, 4702, 4711, 4712, 4720, 4721, 4730, 4740, 4750, 4751, 4752, 4753, 4770, 4771, 4772, 4773, 4774, 4775,
  4780, 4781, 4785, 4790, 4791, 4792, 4793, 4795,
  5100, 5101, 5106, 5111, 5201, 5211, 5220, 5229, 5231, 5500, 5501, 5999,
  5600, 5610, 5620, 5630, 5650, 9902, 9999,
];
const BILLABLE = new Set([4470, ...REFERENCE_CODES.filter((c) => (c >= 4700 && c < 4800) || (c >= 5600 && c < 5700) || c >= 9000)]);

describe('explainErrorCode', () => {
  it('knows every code of the reference table, in plain words with something to do', () => {
    expect([...KNOWN_ERROR_CODES].sort()).toEqual([...REFERENCE_CODES].sort());
    for (const code of REFERENCE_CODES) {
      const e = explainErrorCode(code);
      expect(e.known, String(code)).toBe(true);
      expect(e.title.length, String(code)).toBeGreaterThan(10);
      expect(e.action.length, String(code)).toBeGreaterThan(3);
      expect(e.title).not.toMatch(/\d{4}/);
    }
  });

  it('marks exactly the billable codes of the table as billable', () => {
    for (const code of REFERENCE_CODES) expect(explainErrorCode(code).billable, String(code)).toBe(BILLABLE.has(code));
  });

  it('says who reported it and who is at fault', () => {
    expect(explainErrorCode(4403)).toMatchObject({ fault: 'client', reportedBy: 'bandwidth' });
    expect(explainErrorCode(4001)).toMatchObject({ fault: 'client', reportedBy: 'bandwidth' });
    expect(explainErrorCode(4775)).toMatchObject({ fault: 'client', reportedBy: 'carrier', title: expect.stringMatching(/opted out/) });
    expect(explainErrorCode(5220)).toMatchObject({ fault: 'server', reportedBy: 'bandwidth' });
    expect(explainErrorCode(5999)).toMatchObject({ fault: 'server', reportedBy: 'bandwidth' });
    expect(explainErrorCode(5650)).toMatchObject({ fault: 'server', reportedBy: 'carrier' });
    expect(explainErrorCode(9902)).toMatchObject({ fault: 'ambiguous', reportedBy: 'unknown' });
  });

  it('says whether a retry can help: client errors no, Bandwidth failures yes, carrier failures once', () => {
    expect(explainErrorCode(4303).retry).toBe('no');
    expect(explainErrorCode(4775).retry).toBe('no');
    expect(explainErrorCode(5100).retry).toBe('yes');
    expect(explainErrorCode(5600).retry).toBe('once');
    expect(explainErrorCode(9902).retry).toBe('once');
    // Temporary conditions reported as client errors: later is worth a try.
    expect(explainErrorCode(4702).retry).toBe('yes');
    expect(explainErrorCode(4785).retry).toBe('yes');
  });

  it('explains unknown codes by their digits', () => {
    expect(explainErrorCode(4399)).toMatchObject({ known: false, fault: 'client', reportedBy: 'bandwidth', retry: 'no', billable: false });
    expect(explainErrorCode(4799)).toMatchObject({ known: false, fault: 'client', reportedBy: 'carrier', retry: 'no', billable: true });
    expect(explainErrorCode(5150)).toMatchObject({ known: false, fault: 'server', reportedBy: 'bandwidth', retry: 'yes', billable: false });
    expect(explainErrorCode(5699)).toMatchObject({ known: false, fault: 'server', reportedBy: 'carrier', retry: 'once', billable: true });
    expect(explainErrorCode(9100)).toMatchObject({ known: false, fault: 'ambiguous', retry: 'once' });
    expect(explainErrorCode(4899)).toMatchObject({ known: false, fault: 'client', reportedBy: 'unknown' });
    expect(explainErrorCode(1234)).toMatchObject({ known: false, fault: 'unknown', reportedBy: 'unknown', retry: 'no' });
    expect(explainErrorCode(4799).title).toMatch(/carrier/);
    expect(explainErrorCode(5150).title).toMatch(/Bandwidth/);
  });
});

describe('explainFailure (the one rule for a failed message’s words and its Retry)', () => {
  const failed = (errorCode: number | null, errorDetail: string | null, bandwidthId: string | null = 'bw-1', retries = 0) => ({ errorCode, errorDetail, bandwidthId, retries });

  it('a request Bandwidth refused (no code, never taken) is Bandwidth’s refusal, said once, with what to do and no Retry', () => {
    const e = explainFailure(failed(null, 'Bandwidth refused the request: Injected failure (HTTP 400 request-error)', null), false);
    expect(e.canRetry).toBe(false);
    expect(e.title).toBe('The message was not sent.');
    const text = `${e.title} ${e.action} ${e.detail ?? ''}`;
    expect(text).not.toMatch(/carrier/i);
    expect(text.match(/HTTP 400/g)).toHaveLength(1);
    expect(e.action).toMatch(/^Bandwidth refused the request: Injected failure \(HTTP 400 request-error\)\. Sending it again would fail the same way: check/);
  });

  it('a send cut off and no longer to be looked up says it may have gone, and leaves the retry to the agent with a warning', () => {
    const e = explainFailure(failed(null, unknownIfSent('the list cannot say'), null, 1), false);
    expect(e.title).toBe('It is unknown whether this message was sent.');
    expect(e.action).toMatch(/twice/);
    expect(e.detail).toMatch(/cut off/);
    expect(e.canRetry).toBe(true);
  });

  it('a carrier code keeps the table’s words and its retry advice', () => {
    expect(explainFailure(failed(5600, 'destination-carrier-queue-full'), false)).toMatchObject({ canRetry: true, detail: 'Error 5600 (destination-carrier-queue-full)' });
    expect(explainFailure(failed(4720, null), false)).toMatchObject({ canRetry: false, detail: 'Error 4720' });
    // Bandwidth took it and failed it without a code: worth one more try.
    expect(explainFailure(failed(null, 'gone'), false)).toMatchObject({ canRetry: true, detail: 'Bandwidth said: gone' });
  });

  it('offers Retry at most once for a failure worth one more try (carrier 5xxx, 9902, 9999, no code given)', () => {
    for (const [code, words] of [[5600, null], [5650, null], [9902, null], [9999, null], [null, 'gone']] as const) {
      expect(explainFailure(failed(code, words), false).canRetry, `${code} before a retry`).toBe(true);
      const again = explainFailure(failed(code, words, 'bw-2', 1), false);
      expect(again, `${code} after a retry`).toMatchObject({ canRetry: false, action: expect.stringMatching(/retried once already/) });
      expect(retryUsedUp(failed(code, words, 'bw-2', 1))).toBe(true);
    }
    // Worth retrying later however often (the phone was off, a carrier's volume limit), or never: the count does not matter.
    expect(explainFailure(failed(4702, null, 'bw-2', 3), false).canRetry).toBe(true);
    expect(explainFailure(failed(5100, null, 'bw-2', 3), false).canRetry).toBe(true);
    expect(retryUsedUp(failed(4720, null, 'bw-2', 1))).toBe(false);
    // An opt-out is retried once they opt back in, however often it was retried before.
    expect(explainFailure(failed(4775, null, 'bw-2', 2), false).canRetry).toBe(true);
    expect(explainFailure(failed(null, optedOutWhileWaiting(['+19195551234']), null, 2), false).canRetry).toBe(true);
  });

  it('offers Retry for an opted-out recipient (4775) only once they have opted back in', () => {
    expect(explainFailure(failed(4775, null), true).canRetry).toBe(false);
    expect(explainFailure(failed(4775, null), false)).toMatchObject({ canRetry: true, action: expect.stringMatching(/opted back in/) });
  });

  it('a message the queue stopped because a recipient opted out while it waited: the reason names them, Retry once they opted back in', () => {
    const words = optedOutWhileWaiting(['+19195551234', '+19845550172']);
    expect(words).toBe('Not sent: (919) 555-1234, (984) 555-0172 opted out (texted STOP) after this message was written.');
    expect(explainFailure(failed(null, words, null), true)).toEqual({ title: words, action: 'They must text START before you can message them again.', detail: null, canRetry: false });
    expect(explainFailure(failed(null, words, null), false)).toMatchObject({ title: words, canRetry: true, action: expect.stringMatching(/opted back in/) });
  });
});
