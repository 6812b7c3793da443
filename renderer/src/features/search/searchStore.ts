import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { MessageStatus, SearchResult } from '../../../../shared/ipc/schemas';

export interface SearchFilters {
  direction: 'in' | 'out' | null;
  status: MessageStatus | null;
  hasMedia: boolean;
  /** Only messages newer than this many days; null for all time. */
  withinDays: number | null;
  /** Only the thread open when the search started. */
  threadId: string | null;
}

export const NO_FILTERS: SearchFilters = { direction: null, status: null, hasMedia: false, withinDays: null, threadId: null };

interface SearchState {
  open: boolean;
  query: string;
  filters: SearchFilters;
  results: SearchResult[];
  nextCursor: string | null;
  active: number;
  loading: boolean;
  error: string | null;
  setOpen(open: boolean): void;
  setQuery(query: string): void;
  setFilters(filters: Partial<SearchFilters>): void;
  move(delta: number): void;
  setActive(index: number): void;
  run(client: RpcClient, now: number): Promise<void>;
}

/** The search.query input for what the agent typed and picked. */
export function searchInput(query: string, filters: SearchFilters, now: number) {
  return {
    query: query.trim(),
    limit: 50,
    ...(filters.direction ? { direction: filters.direction } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.hasMedia ? { hasMedia: true } : {}),
    ...(filters.withinDays ? { since: now - filters.withinDays * 86_400_000 } : {}),
    ...(filters.threadId ? { threadId: filters.threadId } : {}),
  };
}

let generation = 0;

export const useSearchStore = create<SearchState>()((set, get) => ({
  open: false,
  query: '',
  filters: NO_FILTERS,
  results: [],
  nextCursor: null,
  active: 0,
  loading: false,
  error: null,
  setOpen: (open) => set({ open }),
  setQuery: (query) => set({ query }),
  setFilters: (filters) => set({ filters: { ...get().filters, ...filters } }),
  move: (delta) => {
    const { results, active } = get();
    if (results.length) set({ active: (active + delta + results.length) % results.length });
  },
  setActive: (active) => set({ active }),
  run: async (client, now) => {
    const mine = ++generation;
    const input = searchInput(get().query, get().filters, now);
    if (!input.query) {
      set({ results: [], nextCursor: null, active: 0, loading: false, error: null });
      return;
    }
    set({ loading: true, error: null });
    try {
      const page = await client.call('search.query', input);
      if (mine === generation) set({ results: page.results, nextCursor: page.nextCursor, active: 0, loading: false });
    } catch (e) {
      if (mine === generation) set({ results: [], loading: false, error: (e as Error).message });
    }
  },
}));
