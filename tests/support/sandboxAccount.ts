import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAccountConfig, type AccountConfig } from '../../electron/main/core/bandwidth/account';
import { createBandwidthClient } from '../../electron/main/core/bandwidth/client';
import { systemClock } from '../../electron/main/core/platform/node';
import type { SandboxReady } from './processes';

/** The part of a sandbox (a process's ready line, or one started in the test's own process) an account needs. */
type SandboxAddress = Pick<SandboxReady, 'accountId' | 'applicationId' | 'clientId' | 'clientSecret' | 'baseUrl' | 'tokenUrl' | 'dashboardUrl'>;

/** A Live account on a sandbox, over OAuth2, with `numbers` (none: the account's numbers are not needed). */
export function sandboxAccountConfig(sandbox: SandboxAddress, numbers?: unknown[]): AccountConfig {
  return parseAccountConfig({
    accountId: sandbox.accountId,
    applicationId: sandbox.applicationId,
    auth: { type: 'oauth2', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.baseUrl,
    tokenUrl: sandbox.tokenUrl,
    dashboardUrl: sandbox.dashboardUrl,
    ...(numbers ? { numbers } : {}),
  });
}

/**
 * A Live account on a sandbox process with one 10DLC number at 200 messages/s: parsed, written to `dir/account.json`
 * for browser mode's `--account`, and a Bandwidth client of the test's own to it (close it when done).
 */
export function sandboxAccount(sandbox: SandboxReady, dir: string, number: string) {
  const account = sandboxAccountConfig(sandbox, [{ number, class: '10dlc', mps: 200 }]);
  const file = join(dir, 'account.json');
  writeFileSync(file, JSON.stringify(account));
  return { account, file, bandwidth: createBandwidthClient(account, { clock: systemClock }) };
}
