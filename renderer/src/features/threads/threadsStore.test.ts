import { beforeEach, describe, expect, it } from 'vitest';
import { aThread } from '../../testing/fixtures';
import { scriptedClient } from '../../testing/scriptedClient';
import { matchesView, placeThread, totalUnread, useThreadsStore } from './threadsStore';

beforeEach(() => useThreadsStore.setState({ threads: [], view: 'all', ourNumber: null, nextCursor: null, loading: false, error: null, unreadById: {} }));

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

  it('loads pages with the current filter and appends the next page', async () => {
    const { client, calls } = scriptedClient({
      'threads.list': (input) =>
        input.before ? { threads: [aThread({ id: 'b', lastActivityAt: 1 })], nextCursor: null } : { threads: [aThread({ id: 'a', lastActivityAt: 2 })], nextCursor: 'c1' },
    });
    useThreadsStore.getState().setView('failed');
    useThreadsStore.getState().setOurNumber('+19195550100');
    await useThreadsStore.getState().load(client);
    await useThreadsStore.getState().loadMore(client);
    expect(useThreadsStore.getState().threads.map((t) => t.id)).toEqual(['a', 'b']);
    expect(calls[0]?.input).toMatchObject({ view: 'failed', ourNumber: '+19195550100' });
    expect(calls[1]?.input).toMatchObject({ before: 'c1', view: 'failed' });
  });

  it('shows UNAVAILABLE as an error, not a crash', async () => {
    await useThreadsStore.getState().load(scriptedClient({}).client);
    expect(useThreadsStore.getState().error).toMatch(/not available/);
  });
});
