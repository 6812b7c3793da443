import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Message } from '../../../../shared/ipc/schemas';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import { cannotSend, createComposerStore, MAX_TEXT } from './composerStore';
import { loadDrafts, memoryStorage, saveDrafts } from './drafts';

describe('drafts', () => {
  it('survive a new store on the same storage (a reload), per thread', () => {
    const storage = memoryStorage();
    createComposerStore(storage).getState().setDraft('t1', 'half-written');
    createComposerStore(storage).getState().setDraft('t2', 'other');
    const reloaded = createComposerStore(storage).getState();
    expect(reloaded.drafts).toEqual({ t1: 'half-written', t2: 'other' });
  });

  it('ignore a corrupt entry', () => {
    const storage = memoryStorage();
    storage.setItem('switchboard.drafts', '{not json');
    expect(loadDrafts(storage)).toEqual({});
    saveDrafts(storage, { a: '', b: 'x' });
    expect(loadDrafts(storage)).toEqual({ b: 'x' });
  });
});

describe('composer', () => {
  it('explains why it cannot send', () => {
    expect(cannotSend('', [])).toMatch(/Write a message/);
    expect(cannotSend('x'.repeat(MAX_TEXT + 3), [])).toMatch(/3 characters over/);
    expect(cannotSend('ok', [])).toBeNull();
  });
});

describe('composer against the real core', () => {
  const h = new CoreHarness();
  const US = '+19195550100';
  let thread: Message;
  beforeAll(async () => {
    await h.start();
    thread = await customerTexts(h, '+19195551234', US, 'Where is my order?');
  });
  afterAll(() => h.stop());

  const target = () => ({ threadId: thread.threadId, from: US, to: ['+19195551234'] });
  const png = async (name: string) => new File([new Uint8Array(await sharp({ create: { width: 40, height: 40, channels: 3, background: '#2563eb' } }).png().toBuffer())], name, { type: 'image/png' });
  /** The engine stages the upload; the byte counts stand in for the browser's upload progress. */
  const stage = async (file: File, onProgress: (p: { loaded: number; total: number }) => void) => {
    onProgress({ loaded: file.size / 2, total: file.size });
    return h.core.stageAttachment(Buffer.from(await file.arrayBuffer()), file.name);
  };

  it('sends the draft with staged attachments and a send-later time, then clears them', async () => {
    const store = createComposerStore(memoryStorage());
    const { threadId } = target();
    store.getState().setDraft(threadId, 'see attached');
    const progress: number[] = [];
    const file = await png('a.png');
    await store.getState().addFiles(threadId, [file], async (f, onProgress) => {
      const staged = stage(f, onProgress);
      progress.push(store.getState().chips[0]!.loaded);
      return staged;
    }, () => null);
    expect(progress).toEqual([file.size / 2]);
    expect(store.getState().chips[0]).toMatchObject({ state: 'ready', name: 'a.png' });
    const sendAt = Date.now() + 86_400_000;
    store.getState().setOptions(threadId, { sendAt, priority: 'high', tag: ' order-4471 ' });
    const message = await store.getState().send(h.client, target());
    expect(message).toMatchObject({ threadId, text: 'see attached', status: 'scheduled', sendAt, priority: 'high', tag: 'order-4471' });
    expect(message?.attachments.map((a) => a.name)).toEqual(['a.png']);
    expect(store.getState().options[threadId]).toEqual({ sendAt: null, priority: 'default', tag: '' });
    expect(store.getState().drafts[threadId]).toBe('');
    expect(store.getState().chips).toEqual([]);
  });

  it('names the file the engine refused and refuses more than 10 attachments', async () => {
    const store = createComposerStore(memoryStorage());
    const files = await Promise.all(Array.from({ length: 10 }, (_, i) => png(`f${i}.png`)));
    files[3] = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])], 'f3.exe', { type: 'application/octet-stream' });
    files.push(await png('f10.png'));
    await store.getState().addFiles(thread.threadId, files, stage, () => null);
    expect(store.getState().errors[thread.threadId]).toBe('f10.png: a message takes at most 10 attachments.');
    const failed = store.getState().chips.filter((c) => c.state === 'failed');
    expect(failed.map((c) => c.name)).toEqual(['f3.exe']);
    expect(failed[0]!.error).toContain('f3.exe');
    expect(store.getState().chips.filter((c) => c.state === 'ready')).toHaveLength(9);
  });

  it('blocks the composer when the engine says the recipient opted out, and lifts it on opt-in', async () => {
    const store = createComposerStore(memoryStorage());
    const optedOut = await customerTexts(h, '+19195553333', US, 'STOP');
    const to = { threadId: optedOut.threadId, from: US, to: ['+19195553333'] };
    store.getState().setDraft(to.threadId, 'hello?');
    expect(await store.getState().send(h.client, to)).toBeNull();
    expect(store.getState().optedOut[to.threadId]).toBe(true);
    expect(store.getState().errors[to.threadId]).toMatch(/opted out/);
    expect(store.getState().drafts[to.threadId]).toBe('hello?');
    // The customer texts START; the app layer tells the composer when the thread says so.
    await customerTexts(h, '+19195553333', US, 'START');
    expect((await h.client.call('threads.get', { threadId: to.threadId })).thread.optedOut).toBe(false);
    store.getState().optedIn(to.threadId);
    expect(store.getState().optedOut[to.threadId]).toBe(false);
    expect(store.getState().errors[to.threadId]).toBeNull();
    expect(await store.getState().send(h.client, to)).toMatchObject({ text: 'hello?' });
  });
});
