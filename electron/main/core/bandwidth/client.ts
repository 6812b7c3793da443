import type { Clock } from '../platform/ports';
import { systemClock } from '../platform/node';
import type { AccountConfig } from './account';
import { createAuthorizer } from './auth';
import { createDashboardClient } from './dashboard';
import { BandwidthError, describeFailure } from './errors';
import type { HttpOptions } from './http';
import { AuthorizedHttp, HttpPools } from './http';
import type { MessagingClientOptions } from './messaging';
import { createMessagingClient } from './messaging';

export interface BandwidthClientOptions extends HttpOptions, MessagingClientOptions {
  clock?: Pick<Clock, 'now' | 'setTimeout'>;
}

export type CredentialCheck =
  | { ok: true }
  | { ok: false; reason: 'credentials' | 'forbidden' | 'unreachable' | 'unexpected'; message: string };

export type BandwidthClient = ReturnType<typeof createBandwidthClient>;

/** Everything that talks to Bandwidth for one account; `close()` ends the pooled connections. */
export function createBandwidthClient(account: AccountConfig, options: BandwidthClientOptions = {}) {
  const clock = options.clock ?? systemClock;
  const pools = new HttpPools(options);
  const http = new AuthorizedHttp(pools, createAuthorizer(account.auth, account.tokenUrl, pools, clock), clock);
  const messaging = createMessagingClient(account, http, options);
  const dashboard = createDashboardClient(account, http);

  /**
   * Proves the credentials work: a token (OAuth2) and one cheap authorized call, the message list of the last minute.
   * Tells wrong credentials, a forbidden account and an unreachable host apart in plain words.
   */
  async function checkCredentials(): Promise<CredentialCheck> {
    const now = clock.now();
    try {
      await messaging.listMessages({ fromDateTime: now - 60_000, toDateTime: now, limit: 1 });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof BandwidthError)) return { ok: false, reason: 'unexpected', message: (error as Error).message };
      const failure = error.failure;
      const scheme = account.auth.type === 'oauth2' ? 'OAuth2 client id and secret' : 'API username and password';
      if (failure.kind === 'network') return { ok: false, reason: 'unreachable', message: failure.description };
      if (failure.status === 401) return { ok: false, reason: 'credentials', message: `Bandwidth refused the ${scheme}. Check them and try again.` };
      if (failure.status === 403) {
        return { ok: false, reason: 'forbidden', message: `The ${scheme} work, but they have no access to messaging on account ${account.accountId}. Check the account id and the user's roles.` };
      }
      if (failure.status === 404) {
        return { ok: false, reason: 'unexpected', message: `The messaging address ${account.baseUrl} does not look like Bandwidth's messaging API (HTTP 404).` };
      }
      return { ok: false, reason: 'unexpected', message: `Bandwidth answered unexpectedly: ${describeFailure(failure)}` };
    }
  }

  return { account, messaging, dashboard, checkCredentials, close: () => pools.close() };
}
