import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { MethodInput } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../shared/ipc/errors';
import type { Message } from '../../../../shared/ipc/schemas';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import type { ConnectionState } from '../../api/transport';
import { imagePreview } from './attachFiles';
import { cannotSend, createComposerStore, isEmpty, MAX_TEXT, waitingLine, type Chip } from './composerStore';
import { loadDraftParts, loadDrafts, loadOutbox, memoryStorage, saveDrafts } from './drafts';

/** The connection as the app's account store keeps it, which the transport sets. */
const network = (connection: ConnectionState = 'open') => create<{ connection: ConnectionState }>()(() => ({ connection }));
type Network = ReturnType<typeof network>;

describe('drafts', () => {
  it('survive a new store on the same storage (a reload), per thread', () => {
    const storage = memoryStorage();
    createComposerStore(storage, network()).getState().setDraft('t1', 'half-written');
    createComposerStore(storage, network()).getState().setDraft('t2', 'other');
    const reloaded = createComposerStore(storage, network()).getState();
    expect(reloaded.drafts).toEqual({ t1: 'half-written', t2: 'other' });
  });

  it('keep a staged file saved before attachments had a pixel size, its size unknown', () => {
    const storage = memoryStorage();
    const attachment = { id: 'A1', name: 'a.jpg', contentType: 'image/jpeg', size: 5, url: '/media/A1', state: 'ready' };
    const chip = { name: 'a.jpg', size: 5, contentType: 'image/jpeg', notice: null, attachment };
    storage.setItem('switchboard.draftParts', JSON.stringify({ t1: { chips: [chip], options: { sendAt: null, priority: 'default', tag: '' } } }));
    expect(loadDraftParts(storage).t1?.chips[0]?.attachment).toEqual({ ...attachment, width: null, height: null });
  });

  it('ignore a corrupt entry', () => {
    const storage = memoryStorage();
    storage.setItem('switchboard.drafts', '{not json');
    expect(loadDrafts(storage)).toEqual({});
    saveDrafts(storage, { a: '', b: 'x' });
    expect(loadDrafts(storage)).toEqual({ b: 'x' });
    storage.setItem('switchboard.outbox', '{not json');
    expect(loadOutbox(storage)).toEqual([]);
    const kept = { key: 'k'.repeat(32), target: { threadId: 't1', from: '+19195550100', to: ['+19195551234'] }, text: 'hi', chips: [], options: { sendAt: null, priority: 'default', tag: '' } };
    storage.setItem('switchboard.outbox', JSON.stringify([{ text: 'no key' }, kept]));
    expect(loadOutbox(storage)).toEqual([kept]);
  });
});

describe('composer', () => {
  it('explains why it cannot send', () => {
    expect(cannotSend('', [])).toBeNull();
    expect(isEmpty(' \n', [])).toBe(true);
    expect(isEmpty('', [{ name: 'a.png', state: 'ready' } as Chip])).toBe(false);
    expect(cannotSend('x'.repeat(MAX_TEXT + 3), [])).toMatch(/3 characters over/);
    expect(cannotSend('ok', [])).toBeNull();
    const chip = (name: string, state: Chip['state']) => ({ name, state }) as Chip;
    expect(cannotSend('ok', [chip('a.png', 'ready'), chip('fake-image.jpg', 'failed')])).toBe('Remove the files that cannot be sent first: fake-image.jpg.');
    expect(cannotSend('ok', [chip('a.png', 'ready'), chip('big.mov', 'uploading')])).toBe('Wait for big.mov to finish uploading.');
  });

  it('says what waits to go, and why, only while something waits', () => {
    expect(waitingLine(1, 'closed', null)).toBe('Not connected: 1 message will be sent when Switchboard is back.');
    expect(waitingLine(3, 'restarted', null)).toBe('Not connected: 3 messages will be sent when Switchboard is back.');
    expect(waitingLine(2, 'open', 'Switchboard is still starting.')).toBe('Switchboard said: “Switchboard is still starting.” The 2 messages will be sent by itself as soon as it can.');
    expect(waitingLine(2, 'open', null)).toBeNull();
    expect(waitingLine(0, 'closed', null)).toBeNull();
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
    const store = createComposerStore(memoryStorage(), network());
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

  /** The real client, with messages.send held on its way to the engine until `release`, to act while a send is in flight. */
  const held = () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sends: unknown[] = [];
    const client: RpcClient = {
      call: (async (method, input) => {
        if (method === 'messages.send') {
          sends.push(input);
          await gate;
        }
        return h.client.call(method, input);
      }) as RpcClient['call'],
      on: (event, listener) => h.client.on(event, listener),
    };
    return { client, sends, release };
  };
  const texts = async (threadId: string) => (await h.client.call('messages.list', { threadId, limit: 100 })).messages.filter((m) => m.direction === 'out').map((m) => m.text);

  it('takes the message out of the box at Enter: what is typed, attached or set while it sends stays for the next one', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const { threadId } = target();
    const { client, release } = held();
    await store.getState().addFiles(threadId, [await png('sent.png')], stage, () => null);
    store.getState().setOptions(threadId, { tag: 'first' });
    store.getState().setDraft(threadId, 'Here is the photo.');
    const sending = store.getState().send(client, target());
    expect(store.getState().drafts[threadId]).toBe('');
    expect(store.getState().chips).toEqual([]);
    store.getState().setDraft(threadId, 'Next thought');
    await store.getState().addFiles(threadId, [await png('later.png')], stage, () => null);
    store.getState().setOptions(threadId, { tag: 'second' });
    release();
    const message = await sending;
    expect(message).toMatchObject({ text: 'Here is the photo.', tag: 'first' });
    expect(message?.attachments.map((a) => a.name)).toEqual(['sent.png']);
    expect(store.getState().drafts[threadId]).toBe('Next thought');
    expect(store.getState().chips.map((c) => c.name)).toEqual(['later.png']);
    expect(store.getState().options[threadId]?.tag).toBe('second');
  });

  it('sends a burst one at a time, each message exactly once and in order', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const burst = await customerTexts(h, '+19195554444', US, 'Ready when you are');
    const to = { threadId: burst.threadId, from: US, to: ['+19195554444'] };
    const { client, sends, release } = held();
    const sent = Array.from({ length: 6 }, (_, i) => {
      store.getState().setDraft(to.threadId, `Burst ${i + 1}`);
      return store.getState().send(client, to);
    });
    // The first is on its way; the rest wait their turn rather than racing it.
    expect(sends).toHaveLength(1);
    release();
    expect((await Promise.all(sent)).map((m) => m?.text)).toEqual(['Burst 1', 'Burst 2', 'Burst 3', 'Burst 4', 'Burst 5', 'Burst 6']);
    expect(await texts(to.threadId)).toEqual(['Burst 1', 'Burst 2', 'Burst 3', 'Burst 4', 'Burst 5', 'Burst 6']);
    expect(store.getState().drafts[to.threadId]).toBe('');
  });

  it('puts a refused message back in front of what was typed since, with the ones held behind it, files and options', async () => {
    const store = createComposerStore(memoryStorage(), network());
    // The engine refuses a group from a number it does not have.
    const to = { threadId: 'refused-thread', from: '+19195550199', to: ['+19195551234', '+19195555678'] };
    const { client, sends, release } = held();
    await store.getState().addFiles(to.threadId, [await png('plan.png')], stage, () => null);
    store.getState().setOptions(to.threadId, { priority: 'high' });
    store.getState().setDraft(to.threadId, 'First part');
    const first = store.getState().send(client, to);
    store.getState().setDraft(to.threadId, 'Second part');
    const second = store.getState().send(client, to);
    store.getState().setDraft(to.threadId, 'Typed meanwhile');
    release();
    expect(await first).toBeNull();
    expect(await second).toBeNull();
    expect(sends).toHaveLength(1);
    expect(store.getState().drafts[to.threadId]).toBe('First part\nSecond part\nTyped meanwhile');
    expect(store.getState().chips.map((c) => c.name)).toEqual(['plan.png']);
    expect(store.getState().options[to.threadId]?.priority).toBe('high');
    expect(store.getState().errors[to.threadId]).toMatch(/^Not sent: .+ The message written after it was held back too\. Your text is back in the box\.$/);
  });

  it('refuses to send while a file was rejected, naming it, and loses nothing', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const { threadId } = target();
    const fake = new File([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])], 'fake-image.jpg', { type: 'image/jpeg' });
    await store.getState().addFiles(threadId, [await png('receipt.png'), fake], stage, () => null);
    store.getState().setDraft(threadId, 'Photos attached');
    const before = await texts(threadId);
    expect(await store.getState().send(h.client, target())).toBeNull();
    expect(store.getState().errors[threadId]).toBe('Remove the files that cannot be sent first: fake-image.jpg.');
    expect(store.getState().drafts[threadId]).toBe('Photos attached');
    expect(store.getState().chips.map((c) => [c.name, c.state])).toEqual([['receipt.png', 'ready'], ['fake-image.jpg', 'failed']]);
    expect(await texts(threadId)).toEqual(before);
    // Removing the rejected file answers the error; then the rest goes.
    store.getState().removeChip(h.client, store.getState().chips[1]!.localId);
    expect(store.getState().errors[threadId]).toBeNull();
    expect((await store.getState().send(h.client, target()))?.attachments.map((a) => a.name)).toEqual(['receipt.png']);
  });

  /**
   * The real client whose connection drops at its first messages.send, as browser mode's transport does: the state
   * goes to closed and the call fails UNAVAILABLE, `before` the engine got the message or `after` (its answer lost).
   */
  const dropping = (net: Network, when: 'before' | 'after') => {
    const sends: MethodInput<'messages.send'>[] = [];
    let drop!: () => void;
    const dropped = new Promise<void>((resolve) => (drop = resolve));
    const client: RpcClient = {
      call: (async (method, input) => {
        if (method !== 'messages.send') return h.client.call(method, input);
        sends.push(input as MethodInput<'messages.send'>);
        if (sends.length > 1) return h.client.call(method, input);
        if (when === 'after') await h.client.call(method, input);
        net.setState({ connection: 'closed' });
        drop();
        throw new AppError('UNAVAILABLE', 'Lost the connection to Switchboard.');
      }) as RpcClient['call'],
      on: (event, listener) => h.client.on(event, listener),
    };
    // Once the store has had the failure: it reaches it in microtasks, all run before the next macrotask.
    const settled = dropped.then(() => new Promise((resolve) => setTimeout(resolve, 0)));
    return { client, sends, settled };
  };
  const recording = (sends: MethodInput<'messages.send'>[]): RpcClient => ({
    call: ((method, input) => {
      if (method === 'messages.send') sends.push(input as MethodInput<'messages.send'>);
      return h.client.call(method, input);
    }) as RpcClient['call'],
    on: (event, listener) => h.client.on(event, listener),
  });

  it.each(['before', 'after'] as const)('a send whose connection drops %s the engine got it waits, then goes with the same key once connected: exactly once, in order', async (when) => {
    const net = network();
    const store = createComposerStore(memoryStorage(), net);
    const customer = await customerTexts(h, when === 'before' ? '+19195556001' : '+19195556002', US, 'Any update?');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    const { client, sends, settled } = dropping(net, when);
    store.getState().setDraft(to.threadId, 'On its way');
    const first = store.getState().send(client, to);
    store.getState().setDraft(to.threadId, 'Sent while offline');
    const second = store.getState().send(client, to);
    store.getState().setDraft(to.threadId, 'Still typing');
    await settled;
    // Neither back in the box (it may have gone) nor lost: both wait, in order, and the agent's text is untouched.
    expect(store.getState().outbox.map((e) => e.text)).toEqual(['On its way', 'Sent while offline']);
    expect(store.getState().drafts[to.threadId]).toBe('Still typing');
    expect(store.getState().errors[to.threadId] ?? null).toBeNull();
    expect(waitingLine(store.getState().outbox.length, net.getState().connection, store.getState().stalled)).toBe('Not connected: 2 messages will be sent when Switchboard is back.');
    expect(await texts(to.threadId)).toEqual(when === 'after' ? ['On its way'] : []);
    expect(sends).toHaveLength(1);

    net.setState({ connection: 'open' });
    const [a, b] = await Promise.all([first, second]);
    expect([a?.text, b?.text]).toEqual(['On its way', 'Sent while offline']);
    expect(sends.map((s) => s.text)).toEqual(['On its way', 'On its way', 'Sent while offline']);
    expect(sends[1]!.clientKey).toBe(sends[0]!.clientKey);
    expect(sends[2]!.clientKey).not.toBe(sends[0]!.clientKey);
    // Once each; their order is the sends' above (the engine lists messages of the same millisecond in any order).
    expect((await texts(to.threadId)).sort()).toEqual(['On its way', 'Sent while offline']);
    expect(store.getState().drafts[to.threadId]).toBe('Still typing');
    expect(store.getState().outbox).toEqual([]);
  });

  it.each(['before', 'after'] as const)('keeps a message whose connection dropped %s the engine got it across a reload, with its file, and sends it once when connected', async (when) => {
    const storage = memoryStorage();
    const net = network();
    const store = createComposerStore(storage, net);
    const customer = await customerTexts(h, when === 'before' ? '+19195556003' : '+19195556004', US, 'Can I see it?');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    const { client, sends, settled } = dropping(net, when);
    await store.getState().addFiles(to.threadId, [await png('part.png')], stage, () => null);
    store.getState().setDraft(to.threadId, 'Here it is');
    void store.getState().send(client, to);
    store.getState().setDraft(to.threadId, 'Half a thought');
    await settled;

    // The window is reloaded while Switchboard is still unreachable.
    const reloadedNet = network('closed');
    const reloaded = createComposerStore(storage, reloadedNet);
    expect(reloaded.getState().drafts[to.threadId]).toBe('Half a thought');
    expect(reloaded.getState().outbox).toMatchObject([{ key: sends[0]!.clientKey, text: 'Here it is', chips: [{ name: 'part.png', state: 'ready' }] }]);
    const resent: MethodInput<'messages.send'>[] = [];
    reloaded.getState().setClient(recording(resent));
    expect(resent).toEqual([]);
    reloadedNet.setState({ connection: 'open' });
    await vi.waitFor(() => expect(reloaded.getState().outbox).toEqual([]));
    expect(resent.map((s) => s.clientKey)).toEqual([sends[0]!.clientKey]);
    const out = (await h.client.call('messages.list', { threadId: to.threadId, limit: 100 })).messages.filter((m) => m.direction === 'out');
    expect(out.map((m) => [m.text, m.attachments.map((a) => a.name)])).toEqual([['Here it is', ['part.png']]]);
    expect(loadOutbox(storage)).toEqual([]);
    expect(reloaded.getState().drafts[to.threadId]).toBe('Half a thought');
  });

  it('queues a message sent while not connected, and sends it once the connection opens', async () => {
    const net = network('closed');
    const store = createComposerStore(memoryStorage(), net);
    const customer = await customerTexts(h, '+19195556005', US, 'Hello?');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    const sends: MethodInput<'messages.send'>[] = [];
    store.getState().setDraft(to.threadId, 'Written while offline — should not be lost');
    const sending = store.getState().send(recording(sends), to);
    expect(store.getState().drafts[to.threadId]).toBe('');
    expect(store.getState().outbox.map((e) => e.text)).toEqual(['Written while offline — should not be lost']);
    net.setState({ connection: 'connecting' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sends).toEqual([]);
    net.setState({ connection: 'open' });
    expect((await sending)?.text).toBe('Written while offline — should not be lost');
    expect(sends).toHaveLength(1);
    expect(await texts(to.threadId)).toEqual(['Written while offline — should not be lost']);
  });

  it('does not send a scheduled message whose time passed while it waited for the connection: it goes back to its box, with the one after it, for the agent to choose', async () => {
    const net = network('closed');
    const store = createComposerStore(memoryStorage(), net);
    const customer = await customerTexts(h, '+19195556008', US, 'Call me tomorrow');
    const other = await customerTexts(h, '+19195556009', US, 'Any news?');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    const elsewhere = { threadId: other.threadId, from: US, to: [other.from] };
    const sends: MethodInput<'messages.send'>[] = [];
    const sendAt = Date.now() + 60_000;
    store.getState().setDraft(to.threadId, 'Calling you at 9');
    store.getState().setOptions(to.threadId, { sendAt });
    const scheduled = store.getState().send(recording(sends), to);
    store.getState().setDraft(to.threadId, 'And bring the invoice');
    const after = store.getState().send(recording(sends), to);
    store.getState().setDraft(elsewhere.threadId, 'Not yet');
    const unrelated = store.getState().send(recording(sends), elsewhere);
    // The connection comes back after the send-later time.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(sendAt + 60_000);
      net.setState({ connection: 'open' });
      expect(await scheduled).toBeNull();
      expect(await after).toBeNull();
      expect((await unrelated)?.text).toBe('Not yet');
    } finally {
      vi.useRealTimers();
    }
    expect(sends.map((s) => s.text)).toEqual(['Not yet']);
    expect(await texts(to.threadId)).toEqual([]);
    expect(store.getState().outbox).toEqual([]);
    expect(store.getState().drafts[to.threadId]).toBe('Calling you at 9\nAnd bring the invoice');
    expect(store.getState().options[to.threadId]?.sendAt).toBe(sendAt);
    expect(store.getState().overdue[to.threadId]).toBe(true);
    expect(store.getState().errors[to.threadId]).toMatch(
      /^The send-later time \(.+\) passed while it waited to go, so nothing was sent\. The message written after it was held back too\. Your text is back in the box\.$/,
    );
    // The agent chooses, as when the time has passed at Enter: here, send it now.
    store.getState().setOptions(to.threadId, { sendAt: null });
    expect([store.getState().overdue[to.threadId], store.getState().errors[to.threadId]]).toEqual([false, null]);
    expect(await store.getState().send(h.client, to)).toMatchObject({ text: 'Calling you at 9\nAnd bring the invoice', status: expect.not.stringMatching('scheduled') });
  });

  it('keeps a message the engine cannot take yet although connected, says why, and sends it by itself once', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const customer = await customerTexts(h, '+19195556006', US, 'Hi');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    const sends: unknown[] = [];
    const client: RpcClient = {
      call: (async (method, input) => {
        if (method === 'messages.send' && sends.push(input) === 1) throw new AppError('UNAVAILABLE', 'Switchboard is still starting; try again in a moment.');
        return h.client.call(method, input);
      }) as RpcClient['call'],
      on: (event, listener) => h.client.on(event, listener),
    };
    store.getState().setDraft(to.threadId, 'Are you there?');
    const sending = store.getState().send(client, to);
    await vi.waitFor(() => expect(store.getState().stalled).toBe('Switchboard is still starting; try again in a moment.'));
    expect(store.getState().drafts[to.threadId]).toBe('');
    expect((await sending)?.text).toBe('Are you there?');
    expect(store.getState().stalled).toBeNull();
    expect(sends).toHaveLength(2);
    expect(await texts(to.threadId)).toEqual(['Are you there?']);
  });

  it('shows a thumbnail only for what the engine found to be an image, whatever the file claims', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const fake = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])], 'fake-image.jpg', { type: 'image/jpeg' });
    const unlabelled = new File([await (await png('x.png')).arrayBuffer()], 'scan', { type: '' });
    await store.getState().addFiles('thumbs', [fake, unlabelled], stage, imagePreview);
    const [bad, good] = store.getState().chips;
    expect(bad).toMatchObject({ state: 'failed', previewUrl: null });
    expect(good).toMatchObject({ state: 'ready', contentType: 'image/png' });
    expect(good!.previewUrl).toMatch(/^blob:/);
    URL.revokeObjectURL(good!.previewUrl!);
  });

  it('names the file the engine refused and refuses more than 10 attachments', async () => {
    const store = createComposerStore(memoryStorage(), network());
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

  it('keeps the whole draft across a reload: text, staged files (checked with the engine), send-later time, priority and tag', async () => {
    const storage = memoryStorage();
    const { threadId } = target();
    const before = createComposerStore(storage, network());
    before.getState().setDraft(threadId, 'Your photo, for tomorrow');
    await before.getState().addFiles(threadId, [await png('kept.png')], stage, () => null);
    const sendAt = Date.now() + 86_400_000;
    before.getState().setOptions(threadId, { sendAt, priority: 'high', tag: 'order-9' });
    const stagedId = before.getState().chips[0]!.attachment!.id;

    const after = createComposerStore(storage, network());
    expect(after.getState().drafts[threadId]).toBe('Your photo, for tomorrow');
    expect(after.getState().options[threadId]).toEqual({ sendAt, priority: 'high', tag: 'order-9' });
    expect(after.getState().chips).toMatchObject([{ threadId, name: 'kept.png', state: 'ready', attachment: { id: stagedId }, previewUrl: `/media/${stagedId}` }]);
    const calls: string[] = [];
    after.getState().setClient({ call: ((method, input) => (calls.push(method), h.client.call(method, input))) as RpcClient['call'], on: h.client.on });
    await vi.waitFor(() => expect(calls).toContain('attachments.staged'));
    const message = await after.getState().send(h.client, target());
    expect(message).toMatchObject({ text: 'Your photo, for tomorrow', status: 'scheduled', sendAt, priority: 'high', tag: 'order-9' });
    expect(message?.attachments.map((a) => a.id)).toEqual([stagedId]);
    // Sent: nothing of it is restored by the next reload.
    const next = createComposerStore(storage, network()).getState();
    expect([next.drafts[threadId], next.chips, next.options[threadId]]).toEqual([undefined, [], undefined]);
  });

  it('says plainly which restored files could not be kept (gone from the engine, or cut off mid-upload), and will not send without them', async () => {
    const storage = memoryStorage();
    const { threadId } = target();
    const before = createComposerStore(storage, network());
    before.getState().setDraft(threadId, 'Two photos');
    await before.getState().addFiles(threadId, [await png('gone.png'), await png('kept.png')], stage, () => null);
    // A third is still uploading when the page goes.
    void before.getState().addFiles(threadId, [await png('midway.png')], () => new Promise(() => {}), () => null);
    await h.client.call('attachments.discard', { attachmentId: before.getState().chips[0]!.attachment!.id });

    const after = createComposerStore(storage, network());
    expect(after.getState().chips.map((c) => [c.name, c.state])).toEqual([['gone.png', 'ready'], ['kept.png', 'ready'], ['midway.png', 'failed']]);
    expect(after.getState().chips[2]!.error).toBe('midway.png was still uploading when Switchboard reloaded, so it is not attached: attach it again.');
    after.getState().setClient(h.client);
    await vi.waitFor(() => expect(after.getState().chips[0]!.state).toBe('failed'));
    expect(after.getState().chips[0]!.error).toBe('gone.png could not be restored: Switchboard no longer has it. Remove it and attach it again.');
    expect(after.getState().chips[1]!.state).toBe('ready');
    expect(await after.getState().send(h.client, target())).toBeNull();
    expect(after.getState().errors[threadId]).toBe('Remove the files that cannot be sent first: gone.png, midway.png.');
    expect(after.getState().drafts[threadId]).toBe('Two photos');
  });

  it('does nothing on an empty composer, and does not send at once when the send-later time has passed: it says so and waits for the agent', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const customer = await customerTexts(h, '+19195556007', US, 'Remind me later');
    const to = { threadId: customer.threadId, from: US, to: [customer.from] };
    expect(await store.getState().send(h.client, to)).toBeNull();
    expect(store.getState().errors[to.threadId] ?? null).toBeNull();

    store.getState().setDraft(to.threadId, 'Your reminder');
    store.getState().setOptions(to.threadId, { sendAt: Date.now() - 1_000 });
    expect(await store.getState().send(h.client, to)).toBeNull();
    expect(store.getState().overdue[to.threadId]).toBe(true);
    expect(store.getState().errors[to.threadId]).toMatch(/^The send-later time \(today .+\) has passed, so nothing was sent\.$/);
    expect(store.getState().drafts[to.threadId]).toBe('Your reminder');
    expect(await texts(to.threadId)).toEqual([]);
    // The agent chooses: here, send it now.
    store.getState().setOptions(to.threadId, { sendAt: null });
    expect([store.getState().overdue[to.threadId], store.getState().errors[to.threadId]]).toEqual([false, null]);
    expect(await store.getState().send(h.client, to)).toMatchObject({ text: 'Your reminder', status: expect.not.stringMatching('scheduled') });
  });

  it('ends the engine’s reason with a full stop before "Your text is back in the box."', async () => {
    const store = createComposerStore(memoryStorage(), network());
    const { threadId } = target();
    await store.getState().addFiles(threadId, [await png('removed.png')], stage, () => null);
    await h.client.call('attachments.discard', { attachmentId: store.getState().chips[0]!.attachment!.id });
    store.getState().setDraft(threadId, 'See the photo');
    expect(await store.getState().send(h.client, target())).toBeNull();
    expect(store.getState().errors[threadId]).toMatch(/attach it again\. Your text is back in the box\.$/);
    store.getState().removeChip(h.client, store.getState().chips[0]!.localId);
  });

  it('blocks the composer when the engine says the recipient opted out, and lifts it on opt-in', async () => {
    const store = createComposerStore(memoryStorage(), network());
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
