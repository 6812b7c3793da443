import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Message } from '../../../../shared/ipc/schemas';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { parseAccountConfig } from '../bandwidth/account';
import type { BandwidthClient } from '../bandwidth/client';
import { createBandwidthClient } from '../bandwidth/client';
import { createAttachment, getAttachment } from '../store/attachments';
import { storeFile } from '../media/mediaFiles';
import { insertReceivedMessage } from '../store/messages';
import { upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { createMediaService, MEDIA_KEPT_MS } from './media';

const OURS = '+19195550100';
const ANN = '+19195551234';
const FILE = Buffer.from('the picture Ann sent');
const HOUR = 60 * 60_000;

/** Bandwidth's media endpoint over real HTTP: answers as programmed (first in, first out), then the file. */
const answers: { status: number; headers?: Record<string, string> }[] = [];
/** The file the endpoint serves once it has no failure left to give; each test starts with FILE. */
let served = FILE;
let requests = 0;
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const answer = answers.shift();
    if (answer) return void res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify({ type: 'error', description: 'Programmed failure' }));
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('inbound media downloads', () => {
  const temp = useTempDatabase('sb-media-');
  let dataDir = '';
  let clock: FakeClock;
  let client: BandwidthClient;
  let warnings: string[];
  let updated: Message[];
  const services: { stop(): void }[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-media-files-'));
    clock = new FakeClock();
    answers.length = 0;
    served = FILE;
    requests = 0;
    warnings = [];
    updated = [];
    const account = parseAccountConfig({ accountId: '9900000', applicationId: 'app', auth: { type: 'basic', username: 'u', password: 'p' }, baseUrl: `${origin}/api/v2` });
    client = createBandwidthClient(account);
  });
  afterEach(async () => {
    for (const service of services.splice(0)) service.stop();
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function service() {
    const ctx = {
      db: temp.db,
      clock,
      dataDir,
      client,
      logger: { info: () => {}, warn: (text: string, fields?: Record<string, unknown>) => warnings.push(`${text} ${JSON.stringify(fields)}`), error: () => {} },
      bus: { emit: (event: string, payload: { message?: Message }) => void (event === 'message.updated' && updated.push(payload.message!)) },
    } as unknown as EngineContext;
    const media = createMediaService(ctx);
    services.push(media);
    return media;
  }

  /** An inbound MMS as the inbound module stores it, received at `time`: its one file waits to be downloaded. */
  function receive(time = clock.now()): string {
    const attachment = createAttachment(temp.db, {
      name: 'photo.jpg',
      contentType: 'application/octet-stream',
      state: 'pending',
      remoteUrl: `${origin}/api/v2/users/9900000/media/1700000000000abcdefghijklmnop/0/photo.jpg`,
      createdAt: clock.now(),
    });
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN]), time).id;
    insertReceivedMessage(temp.db, { threadId: thread, from: ANN, to: [OURS], text: 'look', createdAt: time, segments: 1, encoding: 'GSM-7', attachmentIds: [attachment.id] });
    return attachment.id;
  }

  const state = (id: string) => getAttachment(temp.db, id)!.state;
  /** Waits (in real time: the download is real HTTP) until the attempt under way has ended: a retry waits, or the file is settled. */
  async function attemptEnded(id: string): Promise<void> {
    for (let waited = 0; clock.pending().length === 0 && state(id) === 'pending'; waited += 5) {
      if (waited > 5000) throw new Error('the download never ended');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const failure = (status: number, headers?: Record<string, string>) => ({ status, headers });

  it('rides out a server error that outlasts the old retries, honouring Retry-After, and a restart resumes it', async () => {
    const id = receive();
    answers.push(...Array.from({ length: 5 }, () => failure(503, { 'retry-after': '120' })));
    const first = service();
    first.download(id);
    for (let attempt = 1; attempt < 5; attempt += 1) {
      await attemptEnded(id);
      // Bandwidth asked for two minutes; the back-off alone would be seconds.
      expect(clock.pending()).toEqual([120_000]);
      clock.advance(120_000);
    }
    await attemptEnded(id);
    expect(requests).toBe(5);
    // Still waiting for the file, shown as such, with a retry due.
    expect(state(id)).toBe('pending');
    expect(clock.pending()).toHaveLength(1);
    first.stop();
    expect(clock.pending()).toEqual([]);

    // A restart: the new service resumes what is still pending.
    service().resumeDownloads();
    await attemptEnded(id);
    expect(state(id)).toBe('ready');
    expect(requests).toBe(6);
    const file = getAttachment(temp.db, id)!;
    expect(readFileSync(join(dataDir, file.path!))).toEqual(FILE);
    expect(updated.at(-1)?.attachments).toEqual([expect.objectContaining({ id, state: 'ready', url: `/media/${id}` })]);
  });

  it('backs off to a few minutes at most, and gives up once Bandwidth no longer keeps the file', async () => {
    // Received 46 hours ago: two hours of retries are left.
    clock.advance(46 * HOUR);
    const id = receive(0);
    answers.push(...Array.from({ length: 100 }, () => failure(500)));
    service().download(id);
    const delays: number[] = [];
    for (;;) {
      await attemptEnded(id);
      if (state(id) !== 'pending') break;
      const [delay] = clock.pending();
      delays.push(delay!);
      clock.advance(delay!);
    }
    expect(delays.slice(0, 4)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(Math.max(...delays)).toBe(5 * 60_000);
    expect(state(id)).toBe('failed');
    expect(clock.now()).toBeGreaterThanOrEqual(MEDIA_KEPT_MS);
    expect(clock.pending()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/48 h/);
    expect(updated.at(-1)?.attachments).toEqual([expect.objectContaining({ id, state: 'failed', url: null })]);
  });

  it('counts the 48 hours from the message’s time, not from when the download began', async () => {
    clock.advance(47 * HOUR);
    const id = receive(0);
    answers.push(failure(503), failure(503));
    service().download(id);
    await attemptEnded(id);
    expect(state(id)).toBe('pending');
    clock.advance(HOUR);
    await attemptEnded(id);
    expect(state(id)).toBe('failed');
    expect(requests).toBe(2);
  });

  it('fails at once where a retry cannot help (404, 403)', async () => {
    for (const status of [404, 403]) {
      const id = receive();
      answers.push(failure(status));
      service().download(id);
      await attemptEnded(id);
      expect(state(id)).toBe('failed');
      expect(clock.pending()).toEqual([]);
    }
    expect(requests).toBe(2);
  });

  const picture = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3366ff' } }).jpeg().toBuffer();

  it('records a downloaded picture’s pixel size, so the bubble reserves its box before it loads', async () => {
    served = await picture(640, 200);
    const id = receive();
    service().download(id);
    await attemptEnded(id);
    expect(getAttachment(temp.db, id)).toMatchObject({ state: 'ready', contentType: 'image/jpeg', width: 640, height: 200 });
    expect(updated.at(-1)?.attachments).toEqual([expect.objectContaining({ id, width: 640, height: 200 })]);
  });

  it('still delivers a picture whose size cannot be read, and a file that is no picture, without a size', async () => {
    // A JPEG's signature with nothing readable after it: sniffed as a JPEG, refused by the decoder.
    served = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]), Buffer.alloc(200, 7)]);
    const broken = receive();
    service().download(broken);
    await attemptEnded(broken);
    expect(getAttachment(temp.db, broken)).toMatchObject({ state: 'ready', contentType: 'image/jpeg', width: null, height: null });

    served = FILE;
    const text = receive();
    service().download(text);
    await attemptEnded(text);
    expect(getAttachment(temp.db, text)).toMatchObject({ state: 'ready', contentType: 'text/plain', width: null, height: null });
  });

  it('stages the agent’s picture with its pixel size', async () => {
    const { attachment } = await service().stage(await picture(400, 1200), 'tall.jpg');
    expect(attachment).toMatchObject({ contentType: 'image/jpeg', width: 400, height: 1200, state: 'ready' });
    expect(getAttachment(temp.db, attachment.id)).toMatchObject({ width: 400, height: 1200 });
  });

  it('measures the pictures stored before sizes were recorded, once per history, past files it cannot read', async () => {
    /** A ready file as stored before migration 019: no pixel size. */
    const stored = async (bytes: Buffer, contentType: string) => {
      const file = await storeFile(dataDir, bytes);
      return createAttachment(temp.db, { name: 'old', contentType, size: file.size, sha256: file.sha256, path: file.path, state: 'ready', createdAt: clock.now() }).id;
    };
    const wide = await stored(await picture(900, 300), 'image/jpeg');
    const broken = await stored(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 7)]), 'image/jpeg');
    const gone = await stored(await picture(10, 10), 'image/jpeg');
    rmSync(join(dataDir, getAttachment(temp.db, gone)!.path!));
    const tall = await stored(await picture(200, 600), 'image/png');
    const text = await stored(FILE, 'text/plain');

    expect(await service().measureOldPictures()).toBe(2);
    expect(getAttachment(temp.db, wide)).toMatchObject({ width: 900, height: 300 });
    expect(getAttachment(temp.db, tall)).toMatchObject({ width: 200, height: 600 });
    for (const id of [broken, gone, text]) expect(getAttachment(temp.db, id)).toMatchObject({ width: null, height: null });

    // Done once: the next start reads no file again (every later picture is measured as it is stored).
    const later = await stored(await picture(50, 50), 'image/jpeg');
    expect(await service().measureOldPictures()).toBe(0);
    expect(getAttachment(temp.db, later)).toMatchObject({ width: null });
  });

  it('a stop while measuring older pictures leaves the rest for the next start', async () => {
    const file = await storeFile(dataDir, await picture(30, 40));
    const id = createAttachment(temp.db, { name: 'old', contentType: 'image/jpeg', size: file.size, sha256: file.sha256, path: file.path, state: 'ready', createdAt: clock.now() }).id;
    const first = service();
    const measuring = first.measureOldPictures();
    first.stop();
    expect(await measuring).toBe(0);
    expect(getAttachment(temp.db, id)).toMatchObject({ width: null });
    expect(await service().measureOldPictures()).toBe(1);
    expect(getAttachment(temp.db, id)).toMatchObject({ width: 30, height: 40 });
  });

  it('a resume while a retry waits tries at once, once', async () => {
    const id = receive();
    answers.push(failure(429, { 'retry-after': '600' }));
    const media = service();
    media.download(id);
    await attemptEnded(id);
    expect(clock.pending()).toEqual([600_000]);
    media.resumeDownloads();
    await attemptEnded(id);
    expect(state(id)).toBe('ready');
    expect(clock.pending()).toEqual([]);
    expect(requests).toBe(2);
  });
});
