import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { settleCutOff } from '../../../../tests/support/settleCutOff';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { BandwidthError, rejectedFailure } from '../bandwidth/errors';
import type { ListedMessage, ListMessagesPage } from '../bandwidth/messaging';

const OURS = '+19195550100';
const ANN = '+19195551234';
const NOW = 1_800_000_000_000;

/**
 * Crash settlement: a send whose outcome is unknown is found in Bandwidth's list, or it is sent again. Finding it must not
 * depend on Bandwidth counting segments as we do or on its clock agreeing with ours: a miss sends the customer the text twice.
 */
describe('settling a send cut off mid-request', () => {
  const temp = useTempDatabase('sb-outbound-settle-');

  /** A message in flight since `since`, Bandwidth's list for its conversation (or its refusal), and the settlement's outcome. */
  async function settle(text: string, since: number, listed: Partial<ListedMessage>[], refusal?: BandwidthError) {
    const clock = new FakeClock();
    clock.advance(NOW);
    const page: ListMessagesPage = {
      totalCount: listed.length,
      messages: listed.map((m) => ({
        messageId: 'bw-?',
        accountId: null,
        sourceTn: OURS,
        destinationTn: ANN,
        messageStatus: 'SENT',
        messageDirection: 'OUTBOUND',
        messageType: 'sms',
        segmentCount: 1,
        errorCode: 0,
        receiveTime: since,
        carrierName: null,
        ...m,
      })),
      nextPageToken: null,
      prevPageToken: null,
    };
    const listMessages = () => (refusal ? Promise.reject(refusal) : Promise.resolve(page));
    return settleCutOff(temp.db, clock, { messaging: { listMessages } }, { from: OURS, to: ANN, text, since });
  }

  it('takes the listed send although Bandwidth counts fewer segments than we do', async () => {
    // 134 UCS-2 units: Bandwidth's ceil(134 / 67) = 2; we keep the emoji's surrogate pair whole, which makes 3.
    const text = 'ж'.repeat(66) + '😀' + 'ж'.repeat(66);
    const since = NOW - 60_000;
    const { job, message, segments } = await settle(text, since, [{ messageId: 'bw-sent', receiveTime: since + 200, segmentCount: 2 }]);
    expect(segments).toBe(3);
    expect(job).toBeNull();
    expect(message).toMatchObject({ bandwidthId: 'bw-sent', status: 'accepted' });
  });

  it('takes the listed send although our clock runs 10 s ahead of Bandwidth’s', async () => {
    const since = NOW - 60_000;
    const { job, message } = await settle('clock skew', since, [{ messageId: 'bw-early', receiveTime: since - 10_000 }]);
    expect(job).toBeNull();
    expect(message.bandwidthId).toBe('bw-early');
  });

  it('of several unclaimed messages in the window, takes the one received closest to the attempt', async () => {
    const since = NOW - 60_000;
    const { message } = await settle('closest', since, [
      { messageId: 'bw-later', receiveTime: since + 40_000 },
      { messageId: 'bw-ours', receiveTime: since + 300 },
      { messageId: 'bw-before', receiveTime: since - 50_000 },
    ]);
    expect(message.bandwidthId).toBe('bw-ours');
  });

  it('breaks a tie of receive times by the segment count', async () => {
    const since = NOW - 60_000;
    const { message } = await settle('one segment', since, [
      { messageId: 'bw-two', receiveTime: since + 500, segmentCount: 2 },
      { messageId: 'bw-one', receiveTime: since + 500, segmentCount: 1 },
    ]);
    expect(message.bandwidthId).toBe('bw-one');
  });

  it('gives up, saying it may have been sent, when Bandwidth refuses the look-up for good; tries again after a passing failure', async () => {
    const since = NOW - 60_000;
    const refusal = (status: number) => new BandwidthError(rejectedFailure(status, {}, JSON.stringify({ type: 'request-validation', description: 'Bad range' }), NOW), 'Listing messages');
    const refused = await settle('refused', since, [], refusal(400));
    expect(refused).toMatchObject({ job: null, retrying: false, message: { status: 'failed', bandwidthId: null } });
    expect(refused.message.errorDetail).toMatch(/Bad range.*HTTP 400.*unknown whether it was sent/);
    for (const status of [503, 401]) {
      const passing = await settle('passing', since, [], refusal(status));
      expect(passing).toMatchObject({ job: { state: 'in-flight' }, retrying: true, message: { status: 'queued' } });
    }
  });

  it('sends again when the only listed message came more than a minute before the attempt', async () => {
    const since = NOW - 60_000;
    const { job, message } = await settle('too old', since, [{ messageId: 'bw-old', receiveTime: since - 90_000 }]);
    expect(message.bandwidthId).toBeNull();
    expect(job).toMatchObject({ state: 'waiting', nextAttemptAt: NOW, lastError: 'resent: the earlier attempt never reached Bandwidth' });
  });
});
