import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAccountConfig } from '../support/sandboxAccount';
import { createBandwidthClient, type BandwidthClient } from '../../electron/main/core/bandwidth/client';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox/index';
import { FakeClock } from '../support/fakeClock';
import { settleCutOff } from '../support/settleCutOff';
import { useTempDatabase } from '../support/tempDatabase';

const OURS = '+19195550100';
const ANN = '+19195551234';
const DAY = 86_400_000;

/**
 * Crash settlement after a long gap, against the simulator's message list (which, like Bandwidth's, refuses a range over
 * 14 days with 400): an attempt too old to look up must not be retried for ever, keeping its conversation blocked.
 */
describe('settling a send cut off mid-request, days later', () => {
  const temp = useTempDatabase('sb-settle-old-');
  let sandbox: Sandbox;
  let bandwidth: BandwidthClient;
  const clock = new FakeClock();
  clock.advance(Date.now());

  beforeAll(async () => {
    sandbox = await startSandbox({ personas: false, seed: 3 });
    bandwidth = createBandwidthClient(sandboxAccountConfig(sandbox), { clock });
  });
  afterAll(async () => {
    await bandwidth.close();
    await sandbox.stop();
  });

  /** A message whose request was out `age` ago when the app stopped, settled now. */
  async function settleAfter(age: number) {
    return settleCutOff(temp.db, clock, bandwidth, { from: OURS, to: ANN, text: 'are you there?', since: clock.now() - age });
  }

  it('fails an attempt older than the list reaches, saying honestly that it may have been sent, and frees the conversation', async () => {
    const { job, message, retrying } = await settleAfter(15 * DAY);
    expect(retrying).toBe(false);
    expect(job).toBeNull();
    expect(message).toMatchObject({ status: 'failed', errorCode: null, bandwidthId: null });
    expect(message.errorDetail).toMatch(/14 days.*unknown whether it was sent/);
  });

  it('still looks up an attempt within the range (nothing listed: it never arrived, so it is sent again)', async () => {
    const { job, message, retrying } = await settleAfter(13 * DAY);
    expect(retrying).toBe(false);
    expect(message.status).toBe('queued');
    expect(job).toMatchObject({ state: 'waiting', lastError: 'resent: the earlier attempt never reached Bandwidth' });
  });
});
