import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/ipc/errors';
import type { StagedAttachment } from '../../../../shared/ipc/schemas';
import { aMessage } from '../../testing/fixtures';
import { scriptedClient } from '../../testing/scriptedClient';
import { cannotSend, createComposerStore, MAX_TEXT } from './composerStore';
import { loadDrafts, memoryStorage, saveDrafts } from './drafts';

const target = { threadId: 't1', from: '+19195550100', to: ['+19195551234'] };
const file = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'image/png' });
const staged = (id: string, name: string): StagedAttachment => ({
  attachment: { id, name, contentType: 'image/png', size: 10, url: `/media/${id}`, state: 'ready' },
  notice: null,
});

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

describe('composer send', () => {
  it('sends the draft with staged attachments and a send-later time, then clears them', async () => {
    const store = createComposerStore(memoryStorage());
    const { client, calls } = scriptedClient({ 'messages.send': (input) => ({ message: aMessage({ text: input.text ?? '' }) }) });
    store.getState().setDraft('t1', 'see attached');
    const progress: number[] = [];
    await store.getState().addFiles('t1', [file('a.png')], async (f, onProgress) => {
      onProgress({ loaded: 5, total: 10 });
      progress.push(store.getState().chips[0]!.loaded);
      return staged('att-1', f.name);
    }, () => null);
    store.getState().setOptions('t1', { sendAt: 4_000_000_000_000, priority: 'high', tag: ' order-4471 ' });
    const message = await store.getState().send(client, target);
    expect(message?.text).toBe('see attached');
    expect(progress).toEqual([5]);
    expect(calls[0]?.input).toEqual({ ...target, threadId: undefined, text: 'see attached', attachments: ['att-1'], sendAt: 4_000_000_000_000, priority: 'high', tag: 'order-4471' });
    expect(store.getState().options.t1).toEqual({ sendAt: null, priority: 'default', tag: '' });
    expect(store.getState().drafts.t1).toBe('');
    expect(store.getState().chips).toEqual([]);
  });

  it('names the file that failed to upload and refuses more than 10 attachments', async () => {
    const store = createComposerStore(memoryStorage());
    const files = Array.from({ length: 11 }, (_, i) => file(`f${i}.png`));
    await store.getState().addFiles('t1', files, async (f) => {
      if (f.name === 'f3.png') throw new Error('f3.png: 5.2 MB is over the 3.5 MB limit');
      return staged(f.name, f.name);
    }, () => null);
    expect(store.getState().errors.t1).toBe('f10.png: a message takes at most 10 attachments.');
    expect(store.getState().chips.filter((c) => c.state === 'failed').map((c) => c.error)).toEqual(['f3.png: 5.2 MB is over the 3.5 MB limit']);
  });

  it('blocks the composer when the engine says the recipient opted out', async () => {
    const store = createComposerStore(memoryStorage());
    const { client } = scriptedClient({
      'messages.send': () => {
        throw new AppError('OPTED_OUT', '+19195551234 opted out');
      },
    });
    store.getState().setDraft('t1', 'hello?');
    expect(await store.getState().send(client, target)).toBeNull();
    expect(store.getState().optedOut.t1).toBe(true);
    expect(store.getState().drafts.t1).toBe('hello?');
  });

  it('explains why it cannot send', () => {
    expect(cannotSend('', [])).toMatch(/Write a message/);
    expect(cannotSend('x'.repeat(MAX_TEXT + 3), [])).toMatch(/3 characters over/);
    expect(cannotSend('ok', [])).toBeNull();
  });
});

describe('opt-in', () => {
  it('lifts the block once the engine reports the customer opted back in', async () => {
    const store = createComposerStore(memoryStorage());
    const { client } = scriptedClient({
      'messages.send': () => {
        throw new AppError('OPTED_OUT', 'opted out');
      },
    });
    store.getState().setDraft('t1', 'hi');
    await store.getState().send(client, target);
    store.getState().optedIn('t1');
    expect(store.getState().optedOut.t1).toBe(false);
    expect(store.getState().errors.t1).toBeNull();
  });
});
