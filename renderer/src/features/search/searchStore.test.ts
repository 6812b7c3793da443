import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../../../shared/ipc/client';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
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
});

describe('search store against the real core', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('runs the query, wraps keyboard movement, and clears on an empty query without asking the engine', async () => {
    await customerTexts(h, '+19195551234', '+19195550100', 'Can I get a refund?');
    await customerTexts(h, '+19195553333', '+19195550100', 'The refund arrived, thanks');
    await customerTexts(h, '+19195553333', '+19195550100', 'Unrelated question');
    // The real client, counting what the store asks of it.
    const calls: string[] = [];
    const client: RpcClient = { ...h.client, call: (method, input) => (calls.push(method), h.client.call(method, input)) };
    useSearchStore.getState().setQuery('refund');
    await useSearchStore.getState().run(client, Date.now());
    expect(useSearchStore.getState().results.map((r) => r.message.text).sort()).toEqual(['Can I get a refund?', 'The refund arrived, thanks']);
    expect(useSearchStore.getState().results[0]!.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toEqual(['refund']);
    useSearchStore.getState().move(-1);
    expect(useSearchStore.getState().active).toBe(1);
    useSearchStore.getState().move(1);
    expect(useSearchStore.getState().active).toBe(0);
    useSearchStore.getState().setQuery('  ');
    await useSearchStore.getState().run(client, Date.now());
    expect(useSearchStore.getState().results).toEqual([]);
    expect(calls).toEqual(['search.query']);
  });
});
