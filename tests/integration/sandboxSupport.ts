/**
 * Shared pieces of the simulator's integration tests: a real callback receiver on 127.0.0.1:0 that challenges
 * like a careful app, a client that validates every messaging response against the official OpenAPI schemas,
 * and helpers to configure the sandbox application through the Dashboard XML API, as the app does.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { Sandbox } from '../../electron/main/sandbox/index';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/bandwidth');

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI conformance

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }> };
}

export const spec = parseYaml(readFileSync(join(FIXTURES, 'messaging-openapi.yml'), 'utf8')) as Spec;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('double', true);
ajv.addFormat('binary', true);
const converted: Record<string, unknown> = {};
for (const [name, schema] of Object.entries(spec.components.schemas)) {
  const json = fromSchema(schema as never) as Record<string, unknown>;
  delete json.$schema;
  converted[name] = json;
}
ajv.addSchema({ $id: 'bandwidth', components: { schemas: converted } });

const compiled = new Map<string, ValidateFunction>();
function validatorFor(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `bandwidth${ref}` });
    compiled.set(ref, validate);
  }
  return validate;
}

/** Validates `value` against `#/components/schemas/<name>`; throws with ajv's errors when it does not conform. */
export function assertSchema(name: string, value: unknown): void {
  const validate = validatorFor(`#/components/schemas/${name}`);
  if (!validate(value)) throw new Error(`does not match ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 600)}`);
}

/** The schema ref the spec gives for (operation path, method, status); throws if the spec has no such response. */
function responseSchemaRef(path: string, method: string, status: number): string | null {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the spec has no ${method} ${path}`);
  let response = operation.responses[String(status)];
  if (!response) throw new Error(`the spec does not allow status ${status} for ${method} ${path}`);
  if (response.$ref) response = spec.components.responses[response.$ref.split('/').pop() as string] as typeof response;
  const content = response.content;
  if (!content) return null;
  const json = content['application/json'];
  if (!json) return null; // binary bodies (GET media)
  const schema = json.schema as { $ref?: string; type?: string; items?: { $ref?: string } };
  if (schema.$ref) return schema.$ref;
  return schema.type === 'array' && schema.items?.$ref ? `array:${schema.items.$ref}` : null;
}

export function assertResponseConforms(path: string, method: string, status: number, body: unknown): void {
  const ref = responseSchemaRef(path, method, status);
  if (!ref) return;
  if (ref.startsWith('array:')) {
    if (!Array.isArray(body)) throw new Error(`${method} ${path} ${status}: expected an array`);
    for (const item of body) assertSchema(ref.slice('array:#/components/schemas/'.length), item);
    return;
  }
  assertSchema(ref.split('/').pop() as string, body);
}

// ---------------------------------------------------------------------------------------------------------------
// Messaging client that checks every answer

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
  raw: Buffer;
}

export async function getToken(sandbox: Sandbox): Promise<string> {
  const response = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { Authorization: basic(sandbox.clientId, sandbox.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * Calls a messaging operation (`template` is the spec path, e.g. '/users/{accountId}/messages') and validates the
 * answer against the spec's schema for that status.
 */
export async function api(
  sandbox: Sandbox,
  method: string,
  template: string,
  options: { path?: string; query?: Record<string, string>; json?: unknown; body?: Buffer | string; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<ApiResponse> {
  const path = options.path ?? template.replace('{accountId}', sandbox.accountId);
  const url = new URL(`${sandbox.baseUrl}${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== null) headers.Authorization = options.auth ?? `Bearer ${await getToken(sandbox)}`;
  let body: Buffer | string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const payload = typeof body === 'string' || body === undefined ? body : new Uint8Array(body);
  const response = await fetch(url, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const raw = Buffer.from(await response.arrayBuffer());
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  const parsed: unknown = isJson && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw;
  assertResponseConforms(template, method, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed, raw };
}

export async function sendMessage(sandbox: Sandbox, message: Record<string, unknown>): Promise<ApiResponse> {
  return api(sandbox, 'POST', '/users/{accountId}/messages', { json: { applicationId: sandbox.applicationId, ...message } });
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard

export async function dashboard(sandbox: Sandbox, method: string, path: string, xmlBody?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${sandbox.dashboardUrl}/accounts/${sandbox.accountId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await getToken(sandbox)}`, ...(xmlBody ? { 'Content-Type': 'application/xml' } : {}) },
    ...(xmlBody ? { body: xmlBody } : {}),
  });
  return { status: response.status, text: await response.text() };
}

/** Points the sandbox application's callbacks at `receiver`, with its credentials, as the app does in Live mode. */
export async function configureCallbacks(sandbox: Sandbox, receiver: Receiver): Promise<void> {
  const creds = `<UserId>${receiver.user}</UserId><Password>${receiver.password}</Password>`;
  const result = await dashboard(
    sandbox,
    'PATCH',
    `/applications/${sandbox.applicationId}`,
    `<Application><InboundCallbackUrl>${receiver.url}/inbound</InboundCallbackUrl><OutboundCallbackUrl>${receiver.url}/status</OutboundCallbackUrl>`
      + `<InboundCallbackCreds>${creds}</InboundCallbackCreds><OutboundCallbackCreds>${creds}</OutboundCallbackCreds></Application>`,
  );
  if (result.status !== 200) throw new Error(`configure callbacks: ${result.status} ${result.text}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Callback receiver

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the receiver answered. */
  status: number;
}

export interface CallbackEventBody {
  type: string;
  time: string;
  to: string;
  description: string;
  errorCode?: number;
  message: Record<string, unknown> & { id: string; to: string[]; text: string; media?: string[] };
}

export interface Receiver {
  url: string;
  user: string;
  password: string;
  requests: ReceivedRequest[];
  /** Events accepted (2xx), in arrival order. */
  events: CallbackEventBody[];
  /** Answers the next `count` authenticated requests with `status`. */
  failNext(count: number, status?: number): void;
  waitFor<T>(find: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startReceiver(options: { challengeHeader?: boolean } = {}): Promise<Receiver> {
  const user = 'cb-user';
  const password = 'cb-secret';
  const requests: ReceivedRequest[] = [];
  const events: CallbackEventBody[] = [];
  let failures = { count: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      let status = 200;
      if (req.headers.authorization !== basic(user, password)) status = 401;
      else if (failures.count > 0) {
        failures.count -= 1;
        status = failures.status;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body, status });
      if (status === 200 && Array.isArray(body)) events.push(...(body as CallbackEventBody[]));
      const headers: Record<string, string> = status === 401 && options.challengeHeader !== false ? { 'WWW-Authenticate': 'Basic realm="switchboard"' } : {};
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    user,
    password,
    requests,
    events,
    failNext(count, status = 500) {
      failures = { count, status };
    },
    waitFor: (find, what, timeoutMs) => waitFor(find, what, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitFor<T>(find: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function control<T = Record<string, unknown>>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.controlUrl}${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}
