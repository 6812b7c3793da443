import { create } from 'zustand';
import { formatPhone } from '../../../../shared/domain/phone';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { Thread } from '../../../../shared/ipc/schemas';

export type ThreadView = 'all' | 'unread' | 'failed' | 'opted-out' | 'scheduled';

export const VIEW_LABELS: Record<ThreadView, string> = { all: 'All', unread: 'Unread', failed: 'Failed', scheduled: 'Scheduled', 'opted-out': 'Opted out' };

/** What an empty list says: a number filter that hides every thread is not a first start. */
export function emptyText(view: ThreadView, ourNumber: string | null): string {
  const on = ourNumber ? ` on ${formatPhone(ourNumber)}` : '';
  switch (view) {
    case 'all':
      return ourNumber ? `No conversations${on}.` : 'No conversations yet.';
    case 'unread':
      return `Nothing unread${on}. Nice.`;
    case 'failed':
      return `No failed deliveries${on}.`;
    case 'scheduled':
      return `Nothing scheduled${on}.`;
    case 'opted-out':
      return ourNumber ? `Nobody has opted out of ${formatPhone(ourNumber)}.` : 'Nobody has opted out.';
  }
}

const PAGE = 200;

interface ThreadsState {
  threads: Thread[];
  view: ThreadView;
  ourNumber: string | null;
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  /** Unread counts of every thread with unread messages, whatever the view: the title and the rail badge. */
  unreadById: Record<string, number>;
  setView(view: ThreadView): void;
  setOurNumber(ourNumber: string | null): void;
  /** Selects a thread; the one left is dropped if it no longer belongs in the view. */
  select(threadId: string | null): void;
  /** A thread changed on the engine's side (thread.updated); placed by recency, dropped if it left the view (unless selected). */
  upsert(thread: Thread): void;
  load(client: RpcClient): Promise<void>;
  loadMore(client: RpcClient): Promise<void>;
  /** Seeds unreadById from the engine's unread view, page by page. */
  loadUnread(client: RpcClient): Promise<void>;
}

/**
 * Whether a thread belongs in a view, judged from what the list row knows; the engine decides for pages. As in the
 * engine, a thread nobody has written in yet belongs nowhere unless it is the open one (`openId`).
 */
export function matchesView(thread: Thread, view: ThreadView, ourNumber: string | null, openId: string | null = null): boolean {
  if (ourNumber && thread.ourNumber !== ourNumber) return false;
  if (!thread.preview && thread.id !== openId) return false;
  switch (view) {
    case 'all':
      return true;
    case 'unread':
      return thread.unread > 0;
    case 'failed':
      return thread.preview?.status === 'failed';
    case 'opted-out':
      return thread.optedOut;
    case 'scheduled':
      return thread.preview?.status === 'scheduled';
  }
}

/** Newest activity first; ties by id so the order is stable. */
export function placeThread(threads: readonly Thread[], thread: Thread, keep: boolean): Thread[] {
  const rest = threads.filter((t) => t.id !== thread.id);
  if (!keep) return rest;
  const at = rest.findIndex((t) => t.lastActivityAt < thread.lastActivityAt || (t.lastActivityAt === thread.lastActivityAt && t.id < thread.id));
  return at === -1 ? [...rest, thread] : [...rest.slice(0, at), thread, ...rest.slice(at)];
}

// Selectors call this on every change of the store; the sum is kept for the map it was taken of (maps are replaced, never mutated).
let counted: { unreadById: Record<string, number>; total: number } | null = null;

export function totalUnread(unreadById: Record<string, number>): number {
  if (counted?.unreadById !== unreadById) counted = { unreadById, total: Object.values(unreadById).reduce((sum, n) => sum + n, 0) };
  return counted.total;
}

function withUnread(unreadById: Record<string, number>, thread: Thread): Record<string, number> {
  const { [thread.id]: _, ...rest } = unreadById;
  return thread.unread > 0 ? { ...rest, [thread.id]: thread.unread } : rest;
}

/** What a page of the list asks the engine for: the view, the number filter, and the open thread even if it is empty. */
function filterOf({ view, ourNumber, selectedId }: ThreadsState) {
  return { view, ...(ourNumber ? { ourNumber } : {}), ...(selectedId ? { include: selectedId } : {}) };
}

// Each load gets a number so a slow answer for a previous filter never overwrites the current one.
let generation = 0;

export const useThreadsStore = create<ThreadsState>()((set, get) => ({
  threads: [],
  view: 'all',
  ourNumber: null,
  nextCursor: null,
  loading: false,
  error: null,
  selectedId: null,
  unreadById: {},
  setView: (view) => set({ view }),
  setOurNumber: (ourNumber) => set({ ourNumber }),
  select: (selectedId) => {
    const { threads, view, ourNumber, selectedId: left } = get();
    // The thread being left may have been kept only because it was selected (read in the Unread view, or started and
    // left without a message): it goes now.
    const leaves = (t: Thread) => !t.preview || (view !== 'scheduled' && !matchesView(t, view, ourNumber));
    const gone = left !== selectedId ? threads.find((t) => t.id === left && leaves(t)) : undefined;
    set({ selectedId, ...(gone ? { threads: threads.filter((t) => t !== gone) } : {}) });
  },
  upsert: (thread) => {
    const { threads, view, ourNumber, selectedId } = get();
    const present = threads.some((t) => t.id === thread.id);
    // 'scheduled' cannot be judged from a row once its preview moves on; keep what the engine put there. The selected
    // thread stays too (read in the Unread view, it would vanish under the agent) until the agent moves on.
    const keep = matchesView(thread, view, ourNumber, selectedId) || (present && (thread.id === selectedId || (view === 'scheduled' && thread.preview !== null)));
    set({ threads: placeThread(threads, thread, keep), unreadById: withUnread(get().unreadById, thread) });
  },
  load: async (client) => {
    const mine = ++generation;
    set({ loading: true, error: null, threads: [], nextCursor: null });
    try {
      const page = await client.call('threads.list', { limit: PAGE, ...filterOf(get()) });
      if (mine === generation) set({ threads: page.threads, nextCursor: page.nextCursor, loading: false });
    } catch (e) {
      if (mine === generation) set({ loading: false, error: (e as Error).message });
    }
  },
  loadMore: async (client) => {
    const { nextCursor, loading } = get();
    if (!nextCursor || loading) return;
    const mine = generation;
    set({ loading: true });
    try {
      const page = await client.call('threads.list', { limit: PAGE, before: nextCursor, ...filterOf(get()) });
      if (mine !== generation) return;
      const seen = new Set(get().threads.map((t) => t.id));
      set({ threads: [...get().threads, ...page.threads.filter((t) => !seen.has(t.id))], nextCursor: page.nextCursor, loading: false });
    } catch (e) {
      if (mine === generation) set({ loading: false, error: (e as Error).message });
    }
  },
  loadUnread: async (client) => {
    // Built in place: copying the map per thread made this quadratic (seconds with thousands of unread threads).
    const unread: Record<string, number> = {};
    let before: string | undefined;
    try {
      do {
        const page = await client.call('threads.list', { limit: 500, view: 'unread', ...(before ? { before } : {}) });
        for (const t of page.threads) if (t.unread > 0) unread[t.id] = t.unread;
        before = page.nextCursor ?? undefined;
      } while (before);
      set({ unreadById: unread });
    } catch {
      // Without the engine's unread view the title simply shows no count.
    }
  },
}));
