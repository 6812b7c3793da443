/**
 * Credentials of the sandbox account: OAuth2 client credentials (token endpoint, JWT bearer tokens with an
 * `accounts` claim, as the Bandwidth CLI reads them) and a legacy Basic API user. REFERENCE.md §1.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from './http';
import { json } from './http';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  apiUser: { username: string; password: string };
}

export type AuthResult = { ok: true; accounts: string[] } | { ok: false };

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class Auth {
  private readonly key = randomBytes(32);

  constructor(
    readonly credentials: Credentials,
    private readonly accountId: string,
    private readonly tokenTtlSeconds: number,
  ) {}

  /** POST /api/v1/oauth2/token: form body grant_type=client_credentials, client auth by Basic. */
  token(req: Request): Response {
    const basic = parseBasic(req.headers.authorization);
    if (!basic || !safeEqual(basic.user, this.credentials.clientId) || !safeEqual(basic.password, this.credentials.clientSecret)) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, { 'WWW-Authenticate': 'Basic realm="oauth2"' });
    }
    if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      return json(400, { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' });
    }
    const grant = new URLSearchParams(req.body.toString('utf8')).get('grant_type');
    if (grant !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' });
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: this.credentials.clientId, accounts: [this.accountId], roles: ['Messaging', 'Numbers'], express: false, iat: now, exp: now + this.tokenTtlSeconds };
    const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    const token = `${unsigned}.${b64url(createHmac('sha256', this.key).update(unsigned).digest())}`;
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds }, { 'Cache-Control': 'no-store' });
  }

  /** Checks a Bearer token (signature and expiry) or the legacy API user. */
  authenticate(headers: IncomingHttpHeaders): AuthResult {
    const header = headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) return this.verifyToken(bearer[1] as string);
    const basic = parseBasic(header);
    if (basic && safeEqual(basic.user, this.credentials.apiUser.username) && safeEqual(basic.password, this.credentials.apiUser.password)) {
      return { ok: true, accounts: [this.accountId] };
    }
    return { ok: false };
  }

  private verifyToken(token: string): AuthResult {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return { ok: false };
    const expected = b64url(createHmac('sha256', this.key).update(`${header}.${payload}`).digest());
    if (!safeEqual(signature, expected)) return { ok: false };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number; accounts: string[] };
    if (Date.now() >= claims.exp * 1000) return { ok: false };
    return { ok: true, accounts: claims.accounts };
  }
}
