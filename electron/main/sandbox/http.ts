/** A small router over node:http: routes with `:param` and a trailing `*rest`, bodies read with a size cap. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface Request {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ip: string;
  params: Record<string, string>;
}

export interface Response {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export type Handler = (req: Request) => Response | Promise<Response>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export type Match = { kind: 'found'; handler: Handler; params: Record<string, string> } | { kind: 'wrong-method' } | { kind: 'none' };

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): Match {
    const segments = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    if (part.startsWith('*')) {
      if (i >= segments.length) return null;
      params[part.slice(1)] = segments.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return null;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segment);
    else if (part !== segment) return null;
  }
  return segments.length === parts.length ? params : null;
}

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`body over ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, response: Response): void {
  const body = response.body ?? '';
  res.writeHead(response.status, { ...response.headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export interface FieldError {
  fieldName: string;
  description: string;
}

/** Bandwidth's messaging error body: {type, description[, fieldErrors]} (REFERENCE.md §1). */
export function bwError(status: number, type: string, description: string, fieldErrors?: FieldError[]): Response {
  return json(status, fieldErrors ? { type, description, fieldErrors } : { type, description });
}

export const unauthorized = (): Response => bwError(401, 'unauthorized', 'Authentication Failed');
export const forbidden = (): Response => bwError(403, 'forbidden', 'Access Denied');

/** Spring-style 404 for paths no operation owns (REFERENCE.md §1). */
export function springNotFound(path: string): Response {
  return json(404, { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', message: 'No message available', path });
}

export function isJsonContentType(header: string | undefined): boolean {
  return /^application\/json\s*(;.*)?$/i.test(header ?? '');
}
