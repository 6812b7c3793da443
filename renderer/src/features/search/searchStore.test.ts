import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../../../shared/ipc/client';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import { asYouType, NO_FILTERS, PAGE, searchInput, useSearchStore } from './searchStore';

beforeEach(() => useSearchStore.setState({ query: '', filters: NO_FILTERS, results: [], people: [], request: null, nextCursor: null, active: 0, error: null }));

describe('search store', () => {
  it('turns filters into the search.query input', () => {
    expect(searchInput(' refund ', { ...NO_FILTERS, direction: 'in', hasMedia: true, withinDays: 7, threadId: 't1' }, 10 * 86_400_000)).toEqual({
      query: 'refund',
      limit: PAGE,
      direction: 'in',
      hasMedia: true,
      since: 3 * 86_400_000,
      threadId: 't1',
    });
  });

  it('matches the word still being typed as a prefix, and leaves phrases, finished words and explicit prefixes alone', () => {
    expect(asYouType('refu')).toBe('refu*');
    expect(asYouType('order refu')).toBe('order refu*');
    expect(asYouType('1234-AB')).toBe('1234-AB*');
    expect(asYouType('refund ')).toBe('refund ');
    expect(asYouType('refu*')).toBe('refu*');
    expect(asYouType('"refund policy"')).toBe('"refund policy"');
    expect(asYouType('"refund pol')).toBe('"refund pol');
    expect(asYouType('"refund policy" ti')).toBe('"refund policy" ti*');
    // One letter has no prefix index behind it: it would merge the lists of every word starting with it.
    expect(asYouType('r')).toBe('r');
    expect(asYouType("I'm")).toBe("I'm");
    expect(searchInput('refu', NO_FILTERS, 0)).toEqual({ query: 'refu*', limit: PAGE });
  });

  it('reads the number filter in any common writing, and a query that is a phone number as that number', () => {
    for (const written of ['(984) 555-0151', '984.555.0151', '+1 984 555 0151', '9845550151']) {
      expect(searchInput('refund ', { ...NO_FILTERS, number: written }, 0), written).toEqual({ query: 'refund', limit: PAGE, number: '+19845550151' });
      expect(searchInput(written, NO_FILTERS, 0), written).toEqual({ query: '', limit: PAGE, number: '+19845550151' });
    }
    // Digits that are no phone number stay text, such as an order number.
    expect(searchInput('7781', NO_FILTERS, 0)).toEqual({ query: '7781*', limit: PAGE });
    // With a number chosen, a number in the query is text to find in that thread.
    expect(searchInput('9845550151 ', { ...NO_FILTERS, number: '919 555 1234' }, 0)).toEqual({ query: '9845550151', limit: PAGE, number: '+19195551234' });
    // A number still being typed asks nothing (the dialog says what is missing) rather than ignoring the filter.
    expect(searchInput('refund', { ...NO_FILTERS, number: '(984) 55' }, 0)).toBeNull();
    expect(searchInput(' ', NO_FILTERS, 0)).toBeNull();
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
    useSearchStore.getState().setQuery('refu');
    await useSearchStore.getState().run(h.client, Date.now());
    expect(useSearchStore.getState().results).toHaveLength(2);
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
    // A query that may be a name also asks for the contacts it names.
    expect(calls).toEqual(['search.query', 'contacts.list']);
  });

  it('loads the next page after the last, moves across pages, and wraps only around the whole list', async () => {
    const texts = Array.from({ length: PAGE + 10 }, (_, i) => `Still waiting on the parcel, day ${i}`);
    await Promise.all(texts.map((text) => customerTexts(h, '+19195552001', '+19195550101', text)));
    const store = useSearchStore.getState;
    store().setQuery('parcel');
    await store().run(h.client, Date.now());
    expect(store().results).toHaveLength(PAGE);
    expect(store().nextCursor).not.toBeNull();
    // Past the last loaded result lie more: no wrap to the top.
    store().setActive(PAGE - 1);
    store().move(1);
    expect(store().active).toBe(PAGE - 1);
    await store().loadMore(h.client);
    expect(store().results.map((r) => r.message.text).sort()).toEqual([...texts].sort());
    expect(store().nextCursor).toBeNull();
    store().move(1);
    expect(store().active).toBe(PAGE);
    store().setActive(PAGE + 9);
    store().move(1);
    expect(store().active).toBe(0);
    // Nothing more to load: no call.
    const calls: string[] = [];
    await store().loadMore({ ...h.client, call: (method, input) => (calls.push(method), h.client.call(method, input)) });
    expect(calls).toEqual([]);
  });

  it('drops a page that arrives after a new search started', async () => {
    await Promise.all(Array.from({ length: PAGE + 1 }, (_, i) => customerTexts(h, '+19195552002', '+19195550101', `Voucher question ${i}`)));
    const store = useSearchStore.getState;
    store().setQuery('voucher');
    await store().run(h.client, Date.now());
    // The next page's answer is held until the new search has its own.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const more = store().loadMore({ ...h.client, call: (method, input) => held.then(() => h.client.call(method, input)) });
    store().setQuery('unrelated');
    await store().run(h.client, Date.now());
    release();
    await more;
    expect(store().results.map((r) => r.message.text)).toEqual(['Unrelated question']);
  });

  it('finds a customer by number in any writing, and offers a contact named by the query', async () => {
    await h.client.call('contacts.upsert', { number: '+19195551234', name: 'Ada Lovelace' });
    const store = useSearchStore.getState;
    store().setQuery('(919) 555-1234');
    await store().run(h.client, Date.now());
    expect(store().results.map((r) => r.message.text)).toEqual(['Can I get a refund?']);
    store().setQuery('refund');
    store().setFilters({ number: '919.555.3333' });
    await store().run(h.client, Date.now());
    expect(store().results.map((r) => r.message.text)).toEqual(['The refund arrived, thanks']);
    store().setFilters({ number: '' });
    store().setQuery('lovela');
    await store().run(h.client, Date.now());
    expect(store().people.map((c) => c.name)).toEqual(['Ada Lovelace']);
    store().setQuery('(919) 555');
    store().setFilters({ number: '(919) 555' });
    await store().run(h.client, Date.now());
    expect(store().results).toEqual([]);
    expect(store().request).toBeNull();
  });
});
