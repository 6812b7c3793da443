import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../../shared/ipc/errors';
import type { Message, StagedAttachment } from '../../../../shared/ipc/schemas';
import { BandwidthError } from '../bandwidth/errors';
import { attachmentsOf, createAttachment, deleteAttachment, getAttachment, listAttachmentPaths, listOrphanAttachments, listPendingDownloads, listUnmeasuredPictures, toAttachment, updateAttachment } from '../store/attachments';
import { getMessage } from '../store/messages';
import { getSetting, setSetting } from '../store/settings';
import { ATTACHMENTS_DIR, collectGarbage, MAX_STAGED_BYTES, pixelSize, prepareOutbound, resolveStored, sniffType, storeFile } from '../media/mediaFiles';
import type { EngineContext } from './context';
import { publish } from './context';

export interface MediaServiceOptions {
  /** The first wait before a failed download is tried again; it doubles on each failure, up to downloadRetryMaxMs. */
  downloadRetryMs?: number;
  downloadRetryMaxMs?: number;
}

/** Bandwidth keeps inbound media about 48 hours after the message (REFERENCE.md §2.3): downloads are retried until then. */
export const MEDIA_KEPT_MS = 48 * 60 * 60_000;
/** Set once every picture stored before sizes were recorded has been looked at (measureOldPictures). */
const OLD_PICTURES_MEASURED = 'media.oldPicturesMeasured';

/** Attachments end to end: staging the agent's files, uploading them for a send, fetching inbound media, serving, GC. */
export function createMediaService(ctx: EngineContext, options: MediaServiceOptions = {}) {
  const { db, clock, logger, dataDir } = ctx;
  const retryMs = options.downloadRetryMs ?? 2_000;
  const retryMaxMs = options.downloadRetryMaxMs ?? 5 * 60_000;
  /** Downloads waiting to be tried again, by attachment id. */
  const retries = new Map<string, { cancel(): void }>();
  const downloading = new Set<string>();
  let stopped = false;

  /** A file the agent attached: checked, made to fit where possible, stored, and kept until it is sent or removed. */
  async function stage(bytes: Buffer, name: string): Promise<StagedAttachment> {
    const safeName = name.replace(/[\\/\0]/g, '_').slice(0, 200) || 'file';
    if (bytes.length > MAX_STAGED_BYTES) throw new AppError('INVALID_INPUT', `${safeName} is too large to attach (over 50 MB).`);
    const prepared = await prepareOutbound(bytes, safeName);
    const stored = await storeFile(dataDir, prepared.bytes);
    const record = createAttachment(db, {
      name: prepared.name,
      contentType: prepared.contentType,
      size: stored.size,
      sha256: stored.sha256,
      path: stored.path,
      state: 'ready',
      width: prepared.width,
      height: prepared.height,
      createdAt: clock.now(),
    });
    return { attachment: toAttachment(record), notice: prepared.notice };
  }

  async function discard(attachmentId: string): Promise<void> {
    const record = getAttachment(db, attachmentId);
    if (!record) return;
    if (record.messageId !== null) throw new AppError('CONFLICT', 'This attachment belongs to a message and cannot be removed');
    deleteAttachment(db, attachmentId);
    const path = record.path && resolveStored(dataDir, record.path);
    if (path) await rm(path, { force: true });
  }

  /** Uploads the message's files not yet at Bandwidth (with progress events) and returns every media URL, in order. */
  async function uploadForSend(message: Message): Promise<string[]> {
    const records = attachmentsOf(db, [message.id]).get(message.id) ?? [];
    const urls: string[] = [];
    for (const record of records) {
      if (record.remoteUrl) {
        urls.push(record.remoteUrl);
        continue;
      }
      const path = record.path && resolveStored(dataDir, record.path);
      if (!path) throw new AppError('INTERNAL', `${record.name} is missing from the data folder`);
      const bytes = await readFile(path);
      const progress = (loaded: number, state: 'uploading' | 'done') =>
        ctx.bus.emit('attachment.progress', { attachmentId: record.id, messageId: message.id, loaded, total: bytes.length, state });
      const mediaId = `${message.id}/${record.position}/${encodeURIComponent(record.name)}`;
      try {
        const { url } = await ctx.client.messaging.uploadMedia(mediaId, bytes, record.contentType, { onProgress: (n) => progress(n, 'uploading') });
        updateAttachment(db, record.id, { remoteUrl: url }, clock.now());
        progress(bytes.length, 'done');
        urls.push(url);
      } catch (error) {
        ctx.bus.emit('attachment.progress', { attachmentId: record.id, messageId: message.id, loaded: 0, total: bytes.length, state: 'failed' });
        throw error;
      }
    }
    return urls;
  }

  /**
   * Fetches an inbound file with the account's credentials; the message is republished when the file is ready or
   * failed. A failure that can pass (5xx, 429, network) leaves it pending and tries again later, backing off and
   * honouring Retry-After, for as long as Bandwidth keeps the file; a restart resumes it. A refusal fails it at once.
   */
  function download(attachmentId: string, attempt = 0): void {
    if (stopped || downloading.has(attachmentId)) return;
    // Called while a retry waits (a resume): try now instead.
    retries.get(attachmentId)?.cancel();
    retries.delete(attachmentId);
    downloading.add(attachmentId);
    void (async () => {
      const record = getAttachment(db, attachmentId);
      if (!record?.remoteUrl || record.state !== 'pending') return;
      const name = randomBytes(16).toString('hex');
      const rel = `${ATTACHMENTS_DIR}/${name.slice(0, 2)}/${name}`;
      const target = join(dataDir, rel);
      try {
        await mkdir(dirname(target), { recursive: true });
        const result = await ctx.client.messaging.downloadMedia(record.remoteUrl, `${target}.part`);
        await rename(`${target}.part`, target);
        const bytes = await readFile(target);
        const contentType = (await sniffType(bytes.subarray(0, 4100))) ?? result.contentType ?? record.contentType;
        // From the bytes, not the path: libvips may keep a file it opened, which on Windows would block the GC from deleting it.
        const pixels = await pixelSize(bytes, contentType);
        updateAttachment(db, record.id, { path: rel, sha256: result.sha256, size: result.bytes, contentType, state: 'ready', ...pixels }, clock.now());
      } catch (error) {
        await rm(`${target}.part`, { force: true });
        const failure = error instanceof BandwidthError ? error.failure : null;
        const refused = failure?.kind === 'rejected' && !failure.retryable;
        const receivedAt = (record.messageId ? getMessage(db, record.messageId)?.createdAt : null) ?? record.createdAt;
        const keptUntil = receivedAt + MEDIA_KEPT_MS;
        if (!refused && clock.now() < keptUntil) {
          // Stopping leaves it pending, for the next start to resume.
          if (stopped) return;
          const backoff = Math.min(retryMaxMs, retryMs * 2 ** attempt);
          const retryAfter = failure?.kind === 'rejected' ? (failure.retryAfterMs ?? 0) : 0;
          const timer = clock.setTimeout(() => {
            retries.delete(attachmentId);
            download(attachmentId, attempt + 1);
          }, Math.max(backoff, retryAfter));
          retries.set(attachmentId, timer);
          return;
        }
        logger.warn('inbound media could not be downloaded', {
          attachmentId,
          reason: refused ? 'Bandwidth refused it' : 'still failing 48 h after the message was received, when Bandwidth no longer keeps the file',
          error: String(error),
        });
        updateAttachment(db, record.id, { state: 'failed' }, clock.now());
      }
      const message = record.messageId ? getMessage(db, record.messageId) : null;
      if (message) publish(ctx, 'message.updated', [message]);
    })()
      .catch((error: unknown) => logger.error('inbound media download crashed', { attachmentId, error: String(error) }))
      .finally(() => downloading.delete(attachmentId));
  }

  /** Starts every download still pending: after a restart, or to try waiting ones now. */
  function resumeDownloads(): void {
    for (const record of listPendingDownloads(db)) download(record.id);
  }

  /**
   * Once per history, in the background: pictures stored before their pixel size was recorded (migration 019) get it
   * from their files, so their bubbles reserve the right box instead of jumping as they load. One at a time; a stop
   * or a crash leaves the rest for the next start. Returns how many it measured.
   */
  async function measureOldPictures(): Promise<number> {
    if (getSetting(db, OLD_PICTURES_MEASURED, z.literal(true))) return 0;
    let measured = 0;
    for (let after = '', page = listUnmeasuredPictures(db, after, 50); page.length > 0; page = listUnmeasuredPictures(db, after, 50)) {
      for (const record of page) {
        after = record.id;
        const path = record.path && resolveStored(dataDir, record.path);
        const bytes = path ? await readFile(path).catch(() => null) : null;
        const pixels = bytes ? await pixelSize(bytes, record.contentType) : null;
        if (stopped) return measured;
        // Still there and unmeasured (no await since this read): it may have been deleted meanwhile.
        if (pixels?.width && getAttachment(db, record.id)?.width === null) {
          updateAttachment(db, record.id, pixels, clock.now());
          measured += 1;
        }
      }
    }
    setSetting(db, OLD_PICTURES_MEASURED, z.literal(true), true);
    return measured;
  }

  /** A file to serve by attachment id: its path inside the data folder (containment checked) and type. */
  function resolve(attachmentId: string): { path: string; contentType: string; name: string; size: number } | null {
    const record = getAttachment(db, attachmentId);
    if (!record || record.state !== 'ready' || !record.path) return null;
    const path = resolveStored(dataDir, record.path);
    return path ? { path, contentType: record.contentType, name: record.name, size: record.size } : null;
  }

  /** Drops staged files abandoned for a day, then any file no row refers to. */
  async function collect(): Promise<string[]> {
    const now = clock.now();
    for (const orphan of listOrphanAttachments(db, now - 24 * 60 * 60_000)) deleteAttachment(db, orphan.id);
    return collectGarbage(dataDir, listAttachmentPaths(db), now);
  }

  return {
    stage,
    discard,
    uploadForSend,
    download,
    resumeDownloads,
    measureOldPictures,
    resolve,
    collect,
    stop() {
      stopped = true;
      for (const timer of retries.values()) timer.cancel();
      retries.clear();
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
