import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RpcClient } from '../../../../shared/ipc/client';
import { formatPhone } from '../../../../shared/domain/phone';
import type { Thread } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Icon } from '../../components/Icon';
import { ThreadRow } from '../../components/ThreadRow';
import { useAccountStore } from '../account/accountStore';
import { useConversationStore } from '../conversation/conversationStore';
import { ONE_PANE, openThread } from '../conversation/openThread';
import { statusTick } from '../conversation/ticks';
import { useSearchStore } from '../search/searchStore';
import { useUiStore } from '../ui/uiStore';
import { useNow } from '../ui/useNow';
import { focusComposer } from './afterOpen';
import { shortTime, threadTitle } from './recipients';
import { emptyText, useThreadsStore, VIEW_LABELS } from './threadsStore';

/** Fixed row height: the list is virtualised and must not jump as rows arrive. */
const ROW_HEIGHT = 72;

/**
 * One row of the list, memoised on the thread object (the store replaces only the threads that changed): scrolling
 * renders only the rows coming into view, and a thread.updated renders only its own row.
 */
const ThreadItem = memo(function ThreadItem(p: { thread: Thread; now: number; selected: boolean; several: boolean; client: RpcClient }) {
  const { thread } = p;
  const preview = thread.preview;
  return (
    <ThreadRow
      thread={thread}
      title={threadTitle(thread)}
      time={shortTime(thread.lastActivityAt, p.now)}
      tick={preview ? statusTick(preview.status, { carrierOnly: preview.hasMedia || thread.participants.length > 1, errorCode: null, sendAt: null, failed: 0, total: thread.participants.length }) : null}
      selected={p.selected}
      showOurNumber={p.several}
      onSelect={() => void openThread(p.client, thread.id)}
    />
  );
});

export function ThreadPane() {
  const api = useApi();
  const { threads, view, ourNumber, selectedId, loading, error } = useThreadsStore(
    useShallow((s) => ({ threads: s.threads, view: s.view, ourNumber: s.ourNumber, selectedId: s.selectedId, loading: s.loading, error: s.error })),
  );
  const numbers = useAccountStore((s) => s.status?.numbers);
  const sandbox = useAccountStore((s) => s.status?.mode === 'sandbox');
  const listRef = useRef<HTMLDivElement>(null);
  const now = useNow(60_000);
  // The virtualizer re-measures every row whenever getItemKey changes identity: keep it for as long as the list.
  const getItemKey = useCallback((i: number) => threads[i]?.id ?? i, [threads]);
  // The virtualizer's functions change identity on every render; nothing here memoises them, so the compiler's
  // opt-out for this component is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: threads.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= threads.length - 30) void useThreadsStore.getState().loadMore(api.client);
  }, [api, lastIndex, threads.length]);

  const several = (numbers?.length ?? 0) > 1;
  const selectedIndex = threads.findIndex((t) => t.id === selectedId);
  const openId = useConversationStore((s) => s.threadId);
  // Whatever selects a thread (the list's keys, Alt+↑/↓, a search hit, a notification), the list shows it. Only a new
  // selection scrolls: a selected thread that moves up as messages arrive is left where the agent scrolled to. So does
  // the list coming back in the conversation's place (one pane at a time): hidden, it lost its scroll position.
  useEffect(() => {
    const index = useThreadsStore.getState().threads.findIndex((t) => t.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index);
  }, [selectedId, openId, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    // Alt+↑/↓ is the window's shortcut (useShortcuts): taking it here too moved two threads a press.
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Enter' && selectedId) {
      // Into the conversation: the caret goes to its composer (opening the thread first where the keys only selected it).
      e.preventDefault();
      if (openId === selectedId) focusComposer();
      else void openThread(api.client, selectedId).then(focusComposer);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (threads.length === 0) return;
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? threads.length - 1 : Math.min(threads.length - 1, Math.max(0, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)));
    // Beside the conversation the keys open each thread they pass; where the conversation would take the list's place
    // (and the focus with it), they only select, and Enter opens.
    if (window.matchMedia(ONE_PANE).matches) useThreadsStore.getState().select(threads[next]!.id);
    else void openThread(api.client, threads[next]!.id);
  };

  return (
    <section className="thread-pane" aria-label="Conversations">
      <header className="pane-header">
        <h1>{VIEW_LABELS[view]}</h1>
        <span className="grow" />
        <button type="button" className="icon-button" onClick={() => useSearchStore.getState().setOpen(true)} aria-label="Search (Ctrl+K)" title="Search (Ctrl+K)">
          <Icon name="search" />
        </button>
        <button
          type="button"
          className="icon-button primary"
          data-testid="new-conversation"
          onClick={() => useUiStore.getState().openDialog('new-conversation')}
          aria-label="New conversation (Ctrl+N)"
          title="New conversation (Ctrl+N)"
        >
          <Icon name="plus" />
        </button>
      </header>
      {several && (
        <div className="filter-bar">
          <label className="sr-only" htmlFor="our-number-filter">
            Our number
          </label>
          <select
            id="our-number-filter"
            data-testid="our-number-filter"
            value={ourNumber ?? ''}
            onChange={(e) => {
              useThreadsStore.getState().setOurNumber(e.target.value || null);
              void useThreadsStore.getState().load(api.client);
            }}
          >
            <option value="">All our numbers</option>
            {numbers!.map((n) => (
              <option key={n.number} value={n.number}>
                {formatPhone(n.number)}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <p className="pane-error" role="alert">
          Could not load conversations: {error}
        </p>
      )}
      <div
        ref={listRef}
        className="thread-list"
        data-testid="thread-list"
        role="listbox"
        aria-label="Threads"
        tabIndex={0}
        aria-activedescendant={selectedId ? `thread-${selectedId}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const thread = threads[item.index]!;
            return (
              <div key={item.key} className="virtual-row" style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <ThreadItem thread={thread} now={now} selected={thread.id === selectedId} several={several} client={api.client} />
              </div>
            );
          })}
        </div>
        {threads.length === 0 && !loading && !error && (
          <div className="list-empty">
            <p>{emptyText(view, ourNumber)}</p>
            {view === 'all' && !ourNumber && sandbox && <p className="muted">This is a sandbox: press + and text (984) 555-0151, a simulated customer who answers.</p>}
          </div>
        )}
        {threads.length === 0 && loading && (
          <div aria-hidden="true">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className="skeleton-row" />
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
