import { z } from 'zod';
import type { Clock } from '../platform/ports';
import type { AccountAuth } from './account';
import { BandwidthError, networkFailure, rejectedFailure } from './errors';
import type { Authorizer, HttpPools } from './http';

/** Refresh this long before `expires_in` runs out, as Bandwidth's SDK and CLI do (REFERENCE.md §1). */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** The CLI's assumption when a token answer has no `expires_in`. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

export function createAuthorizer(auth: AccountAuth, tokenUrl: string, pools: HttpPools, clock: Pick<Clock, 'now'>): Authorizer {
  if (auth.type === 'basic') {
    const header = basic(auth.username, auth.password);
    // A refused API user stays refused: there is nothing to refresh.
    return { header: async () => header, refresh: async () => null };
  }
  return new OAuth2Authorizer(basic(auth.clientId, auth.clientSecret), tokenUrl, pools, clock);
}

/** OAuth2 client credentials: one cached token, refreshed early, and one refresh shared by all concurrent callers. */
class OAuth2Authorizer implements Authorizer {
  private token: { header: string; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly clientAuth: string,
    private readonly tokenUrl: string,
    private readonly pools: HttpPools,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  header(): Promise<string> {
    if (this.token && this.clock.now() < this.token.expiresAt - TOKEN_REFRESH_MARGIN_MS) return Promise.resolve(this.token.header);
    return this.fetchShared();
  }

  async refresh(rejected: string): Promise<string | null> {
    // Another caller may already have replaced the rejected token: use that one rather than fetch again.
    if (this.token && this.token.header !== rejected) return this.header();
    this.token = null;
    return this.fetchShared();
  }

  private fetchShared(): Promise<string> {
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const what = 'Getting an OAuth2 token';
    let res;
    try {
      res = await this.pools.request({
        method: 'POST',
        url: this.tokenUrl,
        headers: { authorization: this.clientAuth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: 'grant_type=client_credentials',
      });
    } catch (error) {
      throw new BandwidthError(networkFailure(error, new URL(this.tokenUrl).host), what);
    }
    const text = await res.body.text();
    if (res.statusCode !== 200) {
      const failure = rejectedFailure(res.statusCode, res.headers, text, this.clock.now());
      // The token endpoint answers OAuth2 errors ({error, error_description}); say plainly what a 400/401 there means.
      if (res.statusCode === 400 || res.statusCode === 401) {
        failure.type = 'unauthorized';
        failure.description = 'The OAuth2 client id or client secret was refused';
      }
      throw new BandwidthError(failure, what);
    }
    let answer;
    try {
      answer = tokenAnswer.parse(JSON.parse(text));
    } catch {
      throw new BandwidthError(
        { kind: 'rejected', status: res.statusCode, type: 'bad-token-answer', description: 'The token endpoint did not answer with an access token', fieldErrors: [], retryable: true, retryAfterMs: null },
        what,
      );
    }
    const header = `Bearer ${answer.access_token}`;
    this.token = { header, expiresAt: this.clock.now() + (answer.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000 };
    return header;
  }
}
