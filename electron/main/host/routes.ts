import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../../shared/ipc/errors';
import type { Core } from '../core/createCore';
import type { Logger } from '../core/platform/ports';

/** Types a browser may render inline; anything else downloads, so a hostile file never runs on our origin. */
const INLINE = /^(image\/(png|jpeg|gif|webp|bmp)|audio\/|video\/|application\/pdf$|text\/plain$)/;
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** GET /media/<id>: a stored attachment by id (the store keeps it inside the data folder; resolveMedia checks). */
export function serveMedia(core: Core, id: string, request: IncomingMessage, response: ServerResponse): void {
  const file = core.resolveMedia(id);
  if (!file) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('No such attachment');
    return;
  }
  const disposition = INLINE.test(file.contentType) ? 'inline' : 'attachment';
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.size,
    'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'private, max-age=31536000, immutable',
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file.path).pipe(response);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

/** POST /upload: the agent's file, raw, with its name in X-File-Name; answers with the staged attachment. */
export async function receiveUpload(core: Core, request: IncomingMessage, response: ServerResponse, logger: Logger): Promise<void> {
  const name = (() => {
    try {
      return decodeURIComponent(String(request.headers['x-file-name'] ?? '')).trim();
    } catch {
      return '';
    }
  })();
  if (!name) return sendJson(response, 400, { error: { code: 'INVALID_INPUT', message: 'X-File-Name: the file needs a name' } });
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > MAX_UPLOAD_BYTES) {
    request.resume();
    return sendJson(response, 413, { error: { code: 'INVALID_INPUT', message: `${name} is too large to attach (over 50 MB).` } });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) {
      request.destroy();
      return sendJson(response, 413, { error: { code: 'INVALID_INPUT', message: `${name} is too large to attach (over 50 MB).` } });
    }
    chunks.push(chunk);
  }
  try {
    sendJson(response, 200, await core.stageAttachment(Buffer.concat(chunks), name));
  } catch (error) {
    if (error instanceof AppError) return sendJson(response, error.code === 'INVALID_INPUT' ? 400 : 409, { error: { code: error.code, message: error.message } });
    logger.error('staging an upload failed', { error: String(error) });
    sendJson(response, 500, { error: { code: 'INTERNAL', message: `${name} could not be stored.` } });
  }
}
