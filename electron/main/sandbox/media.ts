/**
 * Media endpoints (REFERENCE.md §2.3): PUT/GET/DELETE /users/{accountId}/media/{mediaId} where mediaId may
 * contain slashes, the upload's Content-Type kept and returned, and GET /media paged by a Continuation-Token
 * header. Uploads are capped at 3.75 MB (AD/GH; the newer support article says 3.5 MB per file).
 */
import type { Request, Response } from './http';
import { bwError, json } from './http';
import type { Context, StoredMedia } from './model';
import { mediaUrl } from './model';

export const MAX_UPLOAD_BYTES = 3.75 * 1024 * 1024;

// The families Bandwidth's upload list names (images, audio, video, text incl. vcard/calendar, PDF, SMIL, archives).
const ACCEPTED = /^(image|audio|video|text)\/[\w.+-]+$|^application\/(pdf|smil|zip|gzip|x-gzip|vnd\.[\w.+-]+|rtf|json|xml|octet-stream)$/i;

export function mediaType(header: string | undefined): string | null {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return ACCEPTED.test(type) ? type : null;
}

export function createMediaHandlers(ctx: Context, pageSize: number) {
  return {
    put(req: Request): Response {
      const type = mediaType(req.headers['content-type']);
      if (!type) return bwError(415, 'unsupported-content-type', `Content-Type '${req.headers['content-type'] ?? ''}' is not a supported media type`);
      if (req.body.length === 0) return bwError(400, 'request-validation', 'The media file is empty');
      if (req.body.length > MAX_UPLOAD_BYTES) return bwError(400, 'request-validation', `The media file is ${req.body.length} bytes; the limit is ${MAX_UPLOAD_BYTES} bytes (3.75 MB)`);
      const cacheControl = req.headers['cache-control'];
      ctx.media.set(req.params.mediaId as string, { bytes: req.body, contentType: req.headers['content-type'] as string, ...(cacheControl ? { cacheControl } : {}) });
      return { status: 204 };
    },

    get(req: Request): Response {
      const item = ctx.media.get(req.params.mediaId as string);
      if (!item) return bwError(404, 'not-found', `Media '${req.params.mediaId}' was not found`);
      return { status: 200, headers: { 'Content-Type': item.contentType, ...(item.cacheControl ? { 'Cache-Control': item.cacheControl } : {}) }, body: item.bytes };
    },

    delete(req: Request): Response {
      if (!ctx.media.delete(req.params.mediaId as string)) return bwError(404, 'not-found', `Media '${req.params.mediaId}' was not found`);
      return { status: 204 };
    },

    list(req: Request): Response {
      const names = [...ctx.media.keys()].sort();
      const token = req.headers['continuation-token'];
      const after = typeof token === 'string' && token ? Buffer.from(token, 'base64url').toString('utf8') : null;
      const start = after === null ? 0 : names.findIndex((name) => name > after);
      const page = start < 0 ? [] : names.slice(start, start + pageSize);
      const more = start >= 0 && start + pageSize < names.length;
      const body = page.map((name) => ({ mediaName: name, contentLength: ctx.media.get(name)?.bytes.length ?? 0, content: mediaUrl(ctx, name) }));
      return json(200, body, more ? { 'Continuation-Token': Buffer.from(page[page.length - 1] as string).toString('base64url') } : {});
    },
  };
}

/** A media URL that points at this sandbox's store: its id and the stored file (undefined if missing); null otherwise. */
export function ownMedia(ctx: Context, url: string): { id: string; item: StoredMedia | undefined } | null {
  const prefix = `${ctx.origin}/api/v2/users/${ctx.accountId}/media/`;
  if (!url.startsWith(prefix)) return null;
  const id = url.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
  return { id, item: ctx.media.get(id) };
}

/** For a send: the total size of media URLs that point at this sandbox, and whether one of them does not exist. */
export function ownMediaSize(ctx: Context, urls: string[]): { bytes: number; missing: boolean } {
  let bytes = 0;
  let missing = false;
  for (const url of urls) {
    const own = ownMedia(ctx, url);
    if (own?.item) bytes += own.item.bytes.length;
    else if (own) missing = true;
  }
  return { bytes, missing };
}
