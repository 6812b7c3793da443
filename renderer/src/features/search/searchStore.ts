import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { MethodInput } from '../../../../shared/ipc/contract';
import type { Contact, MessageStatus, SearchResult } from '../../../../shared/ipc/schemas';
import { toE164 } from '../../../../shared/domain/phone';

export interface SearchFilters {
  direction: 'in' | 'out' | null;
  status: MessageStatus | null;
  hasMedia: boolean;
  /** Only messages newer than this many days; null for all time. */
  withinDays: number | null;
  /** Only the thread open when the search started. */
  threadId: string | null;
  /** Only threads with this number, as the agent typed it ("(984) 555-0151", "984.555.0151", "+1 984…"). */
  number: string;
}

export const NO_FILTERS: SearchFilters = { direction: null, status: null, hasMedia: false, withinDays: null, threadId: null, number: '' };

/** Results per page; the next page comes as the list's end comes into view. */
export const PAGE = 50;
/** Contacts offered as "messages with …" for a query that is part of their name. */
const PEOPLE = 3;

type SearchRequest = MethodInput<'search.query'>;

interface SearchState {
  open: boolean;
  query: string;
  filters: SearchFilters;
  results: SearchResult[];
  /** Contacts whose name or number contains the query: the dialog offers their messages. */
  people: Contact[];
  /** What the shown results answer; the next page repeats it with `nextCursor`. */
  request: SearchRequest | null;
  nextCursor: string | null;
  active: number;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  setOpen(open: boolean): void;
  setQuery(query: string): void;
  setFilters(filters: Partial<SearchFilters>): void;
  move(delta: number): void;
  setActive(index: number): void;
  run(client: RpcClient, now: number): Promise<void>;
  loadMore(client: RpcClient): Promise<void>;
}

/**
 * Search as you type: the word still being typed is a prefix, so "refu" finds "refund". Not inside an open
 * "phrase" (phrases are exact), not after a space or `*` or `"` (the word is finished, or the agent said how to
 * match it), and only for two letters or more: FTS5 keeps prefix indexes from two characters, and a one-letter
 * prefix would merge the hit lists of every word starting with it.
 */
export function asYouType(query: string): string {
  const inPhrase = (query.match(/"/g)?.length ?? 0) % 2 === 1;
  return !inPhrase && /[\p{L}\p{N}]{2}$/u.test(query) ? `${query}*` : query;
}

/** The whole query read as a phone number ("(984) 555-0151", "+1 984 555 0151"); null for anything else. */
export function queryAsNumber(query: string): string | null {
  return /^\+?[\d\s().-]+$/.test(query.trim()) ? toE164(query) : null;
}

/** True while the number filter holds something that is not (yet) a whole phone number. */
export const unfinishedNumber = (filters: SearchFilters) => filters.number.trim() !== '' && toE164(filters.number) === null;

/**
 * The search.query input for what the agent typed and picked; null while there is nothing to ask. A query that
 * is a phone number searches that number's messages, not text (no message text holds it as one word).
 */
export function searchInput(query: string, filters: SearchFilters, now: number): SearchRequest | null {
  if (unfinishedNumber(filters)) return null;
  const number = filters.number.trim() ? toE164(filters.number) : queryAsNumber(query);
  const text = filters.number.trim() || !number ? asYouType(query).trim() : '';
  if (!text && !number) return null;
  return {
    query: text,
    limit: PAGE,
    ...(number ? { number } : {}),
    ...(filters.direction ? { direction: filters.direction } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.hasMedia ? { hasMedia: true } : {}),
    ...(filters.withinDays ? { since: now - filters.withinDays * 86_400_000 } : {}),
    ...(filters.threadId ? { threadId: filters.threadId } : {}),
  };
}

/** Bumped by every new search, so answers to an older one (a page, or people) are dropped. */
let generation = 0;

export const useSearchStore = create<SearchState>()((set, get) => ({
  open: false,
  query: '',
  filters: NO_FILTERS,
  results: [],
  people: [],
  request: null,
  nextCursor: null,
  active: 0,
  loading: false,
  loadingMore: false,
  error: null,
  setOpen: (open) => set({ open }),
  setQuery: (query) => set({ query }),
  setFilters: (filters) => set({ filters: { ...get().filters, ...filters } }),
  move: (delta) => {
    const { results, active, nextCursor } = get();
    const next = active + delta;
    // Wrap only around a complete list: past the last loaded result lie more, which the dialog loads as the end nears.
    if (!results.length || (nextCursor && (next < 0 || next >= results.length))) return;
    set({ active: (next + results.length) % results.length });
  },
  setActive: (active) => set({ active }),
  run: async (client, now) => {
    const mine = ++generation;
    const { query, filters } = get();
    const request = searchInput(query, filters, now);
    if (!request) {
      set({ results: [], people: [], request: null, nextCursor: null, active: 0, loading: false, loadingMore: false, error: null });
      return;
    }
    // A name (or part of one) can only be offered when the query is plain text and no number is chosen yet.
    const name = request.number ? '' : query.trim();
    set({ loading: true, loadingMore: false, error: null });
    try {
      const [page, people] = await Promise.all([
        client.call('search.query', request),
        name.length >= 2 ? client.call('contacts.list', { query: name }).then((r) => r.contacts.slice(0, PEOPLE)) : [],
      ]);
      if (mine === generation) set({ results: page.results, people, request, nextCursor: page.nextCursor, active: 0, loading: false });
    } catch (e) {
      if (mine === generation) set({ results: [], people: [], request: null, nextCursor: null, loading: false, error: (e as Error).message });
    }
  },
  loadMore: async (client) => {
    const { request, nextCursor, loadingMore, loading } = get();
    if (!request || !nextCursor || loadingMore || loading) return;
    const mine = generation;
    set({ loadingMore: true });
    try {
      const page = await client.call('search.query', { ...request, before: nextCursor });
      if (mine === generation) set({ results: [...get().results, ...page.results], nextCursor: page.nextCursor, loadingMore: false });
    } catch (e) {
      if (mine === generation) set({ loadingMore: false, error: (e as Error).message });
    }
  },
}));
