import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAccountConfig } from '../../electron/main/core/bandwidth/account';
import { createBandwidthClient } from '../../electron/main/core/bandwidth/client';
import { systemClock } from '../../electron/main/core/platform/node';
import type { SandboxReady } from './processes';

/**
 * A Live account on a sandbox process with one 10DLC number at 200 messages/s: parsed, written to `dir/account.json`
 * for browser mode's `--account`, and a Bandwidth client of the test's own to it (close it when done).
 */
export function sandboxAccount(sandbox: SandboxReady, dir: string, number: string) {
  const account = parseAccountConfig({
    accountId: sandbox.accountId,
    applicationId: sandbox.applicationId,
    auth: { type: 'oauth2', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.baseUrl,
    tokenUrl: sandbox.tokenUrl,
    dashboardUrl: sandbox.dashboardUrl,
    numbers: [{ number, class: '10dlc', mps: 200 }],
  });
  const file = join(dir, 'account.json');
  writeFileSync(file, JSON.stringify(account));
  return { account, file, bandwidth: createBandwidthClient(account, { clock: systemClock }) };
}
