import { beforeEach, describe, expect, it } from 'vitest';
import { aMessage, aThread } from '../../testing/fixtures';
import { scriptedClient } from '../../testing/scriptedClient';
import { NO_FILTERS, searchInput, useSearchStore } from './searchStore';

beforeEach(() => useSearchStore.setState({ query: '', filters: NO_FILTERS, results: [], active: 0, error: null }));

describe('search store', () => {
  it('turns filters into the search.query input', () => {
    expect(searchInput(' refund ', { ...NO_FILTERS, direction: 'in', hasMedia: true, withinDays: 7, threadId: 't1' }, 10 * 86_400_000)).toEqual({
      query: 'refund',
      limit: 50,
      direction: 'in',
      hasMedia: true,
      since: 3 * 86_400_000,
      threadId: 't1',
    });
  });

  it('runs the query, wraps keyboard movement, and clears on an empty query', async () => {
    const result = (id: string) => ({ message: aMessage({ id }), thread: aThread(), snippet: [{ text: 'a ', hit: false }, { text: 'refund', hit: true }] });
    const { client, calls } = scriptedClient({ 'search.query': () => ({ results: [result('a'), result('b')], nextCursor: null }) });
    useSearchStore.getState().setQuery('refund');
    await useSearchStore.getState().run(client, 0);
    expect(useSearchStore.getState().results).toHaveLength(2);
    useSearchStore.getState().move(-1);
    expect(useSearchStore.getState().active).toBe(1);
    useSearchStore.getState().move(1);
    expect(useSearchStore.getState().active).toBe(0);
    useSearchStore.getState().setQuery('  ');
    await useSearchStore.getState().run(client, 0);
    expect(useSearchStore.getState().results).toEqual([]);
    expect(calls).toHaveLength(1);
  });
});
