import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import { aThread } from '../../testing/fixtures';
import { emptyText, matchesView, placeThread, totalUnread, useThreadsStore } from './threadsStore';

beforeEach(() => useThreadsStore.setState({ threads: [], view: 'all', ourNumber: null, nextCursor: null, loading: false, error: null, selectedId: null, unreadById: {} }));

describe('threads store', () => {
  it('keeps newest activity first when a thread changes', () => {
    const list = [aThread({ id: 'a', lastActivityAt: 30 }), aThread({ id: 'b', lastActivityAt: 20 }), aThread({ id: 'c', lastActivityAt: 10 })];
    expect(placeThread(list, aThread({ id: 'c', lastActivityAt: 40 }), true).map((t) => t.id)).toEqual(['c', 'a', 'b']);
    expect(placeThread(list, aThread({ id: 'd', lastActivityAt: 15 }), true).map((t) => t.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(placeThread(list, aThread({ id: 'a' }), false).map((t) => t.id)).toEqual(['b', 'c']);
  });

  it('judges view membership from the row', () => {
    const failed = aThread({ preview: { text: 'x', direction: 'out', status: 'failed', hasMedia: false } });
    expect(matchesView(failed, 'failed', null)).toBe(true);
    expect(matchesView(failed, 'unread', null)).toBe(false);
    expect(matchesView(aThread({ unread: 2 }), 'unread', null)).toBe(true);
    expect(matchesView(aThread({ optedOut: true }), 'opted-out', null)).toBe(true);
    expect(matchesView(aThread(), 'all', '+19195550199')).toBe(false);
    // Nobody has written in it yet: it belongs only while it is open, like the engine's pages.
    const started = aThread({ id: 'new', preview: null });
    expect(matchesView(started, 'all', null)).toBe(false);
    expect(matchesView(started, 'all', null, 'new')).toBe(true);
    expect(matchesView(aThread({ id: 'new', preview: null, optedOut: true }), 'opted-out', null)).toBe(false);
  });

  it('lists a started conversation while it is open, drops it when left without a message, and takes it back with one', () => {
    const store = useThreadsStore.getState;
    store().upsert(aThread({ id: 'old', lastActivityAt: 10 }));
    const started = aThread({ id: 'new', lastActivityAt: 20, preview: null });
    // As the new-conversation dialog does: opened first, then placed.
    store().select('new');
    store().upsert(started);
    expect(store().threads.map((t) => t.id)).toEqual(['new', 'old']);
    store().select('old');
    expect(store().threads.map((t) => t.id)).toEqual(['old']);
    // Another change to it (a contact renamed) does not bring it back; its first message does.
    store().upsert({ ...started, names: { '+19195551234': 'Maya Chen' } });
    expect(store().threads.map((t) => t.id)).toEqual(['old']);
    store().upsert({ ...started, lastActivityAt: 30, preview: { text: 'Hi', direction: 'in', status: 'received', hasMedia: false } });
    expect(store().threads.map((t) => t.id)).toEqual(['new', 'old']);
  });

  it('drops an empty thread when left even from the Scheduled view, which otherwise keeps what the engine listed', () => {
    const store = useThreadsStore.getState;
    useThreadsStore.setState({ view: 'scheduled' });
    const scheduled = { text: 'later', direction: 'out', status: 'scheduled', hasMedia: false } as const;
    useThreadsStore.setState({ threads: [aThread({ id: 'a', lastActivityAt: 20, preview: scheduled }), aThread({ id: 'b', lastActivityAt: 10, preview: scheduled })] });
    store().select('a');
    // Its only message cancelled while open: it stays under the agent, and goes when the agent moves on.
    store().upsert(aThread({ id: 'a', lastActivityAt: 20, preview: null }));
    expect(store().threads.map((t) => t.id)).toEqual(['a', 'b']);
    store().select('b');
    expect(store().threads.map((t) => t.id)).toEqual(['b']);
    // Sent, its preview moves on: still listed, as before.
    store().upsert(aThread({ id: 'b', lastActivityAt: 30, preview: { ...scheduled, status: 'delivered' } }));
    expect(store().threads.map((t) => t.id)).toEqual(['b']);
  });

  it('drops a thread from the unread view once read, and tracks the unread total across views', () => {
    useThreadsStore.setState({ view: 'unread' });
    useThreadsStore.getState().upsert(aThread({ id: 'a', unread: 2 }));
    useThreadsStore.getState().upsert(aThread({ id: 'b', unread: 1 }));
    expect(totalUnread(useThreadsStore.getState().unreadById)).toBe(3);
    useThreadsStore.getState().upsert(aThread({ id: 'a', unread: 0 }));
    expect(useThreadsStore.getState().threads.map((t) => t.id)).toEqual(['b']);
    expect(totalUnread(useThreadsStore.getState().unreadById)).toBe(1);
  });

  it('keeps the selected thread listed in the Unread view once read, until another thread is selected', () => {
    const store = useThreadsStore.getState;
    useThreadsStore.setState({ view: 'unread' });
    store().upsert(aThread({ id: 'a', unread: 2, lastActivityAt: 20 }));
    store().upsert(aThread({ id: 'b', unread: 1, lastActivityAt: 10 }));
    store().select('a');
    store().upsert(aThread({ id: 'a', unread: 0, lastActivityAt: 20 }));
    expect(store().threads.map((t) => [t.id, t.unread])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(store().selectedId).toBe('a');
    store().select('b');
    expect(store().threads.map((t) => t.id)).toEqual(['b']);
    // Left while still unread, a thread stays: it belongs in the view.
    store().select('a');
    store().select('b');
    expect(store().threads.map((t) => t.id)).toEqual(['b']);
    useThreadsStore.setState({ threads: [aThread({ id: 'c', unread: 1 }), ...store().threads] });
    store().select('c');
    store().select('b');
    expect(store().threads.map((t) => t.id)).toEqual(['c', 'b']);
  });

  it('says which number an empty list is filtered to, rather than greeting a first start', () => {
    expect(emptyText('all', null)).toBe('No conversations yet.');
    expect(emptyText('all', '+18885550102')).toBe('No conversations on (888) 555-0102.');
    expect(emptyText('unread', '+18885550102')).toBe('Nothing unread on (888) 555-0102. Nice.');
    expect(emptyText('failed', '+18885550102')).toBe('No failed deliveries on (888) 555-0102.');
    expect(emptyText('scheduled', '+18885550102')).toBe('Nothing scheduled on (888) 555-0102.');
    expect(emptyText('opted-out', '+18885550102')).toBe('Nobody has opted out of (888) 555-0102.');
    expect(emptyText('failed', null)).toBe('No failed deliveries.');
  });

});

describe('threads store against the real core', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('loads pages with the current filter and appends the next page', async () => {
    // One more thread than a page, on one of our numbers; one on another number that the filter leaves out.
    const customers = Array.from({ length: 201 }, (_, i) => `+1919555${6000 + i}`);
    for (let i = 0; i < customers.length; i += 20) await Promise.all(customers.slice(i, i + 20).map((c) => customerTexts(h, c, '+18885550102', 'Hello')));
    const elsewhere = await customerTexts(h, '+19195551234', '+19195550100', 'Hi');
    const store = useThreadsStore.getState();
    store.setOurNumber('+18885550102');
    await store.load(h.client);
    expect(useThreadsStore.getState().threads).toHaveLength(200);
    expect(useThreadsStore.getState().nextCursor).not.toBeNull();
    await useThreadsStore.getState().loadMore(h.client);
    const threads = useThreadsStore.getState().threads;
    expect(new Set(threads.map((t) => t.participants[0]))).toEqual(new Set(customers));
    expect(threads.map((t) => t.lastActivityAt)).toEqual(threads.map((t) => t.lastActivityAt).sort((a, b) => b - a));
    expect(threads.some((t) => t.id === elsewhere.threadId)).toBe(false);
    // The view is a filter too: none of them failed.
    useThreadsStore.getState().setView('failed');
    await useThreadsStore.getState().load(h.client);
    expect(useThreadsStore.getState().threads).toEqual([]);
  });

  it('asks the engine for the open thread too, so a conversation started and not yet written in stays listed while open', async () => {
    const { thread: started } = await h.client.call('threads.start', { from: '+19195550101', to: ['+19195557001'] });
    const store = useThreadsStore.getState;
    await store().load(h.client);
    expect(store().threads.some((t) => t.id === started.id)).toBe(false);
    store().select(started.id);
    await store().load(h.client);
    expect(store().threads.some((t) => t.id === started.id)).toBe(true);
  });

  it('shows a failed call as an error, not a crash', async () => {
    // A core that has stopped refuses calls.
    const stopped = new CoreHarness();
    await stopped.start();
    await stopped.stop();
    await useThreadsStore.getState().load(stopped.client);
    expect(useThreadsStore.getState().error).toBeTruthy();
    expect(useThreadsStore.getState().loading).toBe(false);
  });
});
