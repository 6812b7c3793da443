import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../../../shared/domain/phone';
import { MESSAGE_STATUSES, type SearchResult } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { Snippet } from '../../components/Snippet';
import { useConversationStore } from '../conversation/conversationStore';
import { openThread } from '../conversation/openThread';
import { focusComposer } from '../threads/afterOpen';
import { shortTime, threadTitle } from '../threads/recipients';
import { useNow } from '../ui/useNow';
import { download } from '../ui/download';
import { unfinishedNumber, useSearchStore } from './searchStore';

/** How long typing must pause before a query goes out. */
const DEBOUNCE_MS = 120;
/** The next page is asked for this many results before the keyboard reaches the end, */
const LOOKAHEAD = 10;
/** or once scrolling comes this close (px) to the end of the list. */
const NEAR_END_PX = 200;

export function SearchDialog() {
  const api = useApi();
  const { query, filters, results, people, request, nextCursor, active, loading, loadingMore, error } = useSearchStore(
    useShallow((s) => ({
      query: s.query,
      filters: s.filters,
      results: s.results,
      people: s.people,
      request: s.request,
      nextCursor: s.nextCursor,
      active: s.active,
      loading: s.loading,
      loadingMore: s.loadingMore,
      error: s.error,
    })),
  );
  const openThreadId = useConversationStore((s) => s.threadId);
  const listRef = useRef<HTMLUListElement>(null);
  const store = useSearchStore.getState;

  useEffect(() => {
    const timer = setTimeout(() => void useSearchStore.getState().run(api.client, Date.now()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, query, filters]);

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  useEffect(() => {
    if (nextCursor && active >= results.length - LOOKAHEAD) void store().loadMore(api.client);
  }, [api, store, active, results.length, nextCursor]);
  const onScroll = (e: React.UIEvent<HTMLUListElement>) => {
    const list = e.currentTarget;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_END_PX) void store().loadMore(api.client);
  };

  const numberInvalid = unfinishedNumber(filters);
  const close = () => store().setOpen(false);
  const go = (result: SearchResult) => {
    close();
    void openThread(api.client, result.thread.id, { around: result.message.id, thread: result.thread }).then(focusComposer);
  };
  const now = useNow(60_000);
  // Every result of the search shown, not only the pages loaded so far.
  const exportResults = async () => {
    if (!request) return;
    try {
      const file = await api.client.call('search.export', { ...request, format: 'csv' });
      download(file.filename, file.content, file.contentType);
    } catch (e) {
      useSearchStore.setState({ error: `export failed: ${(e as Error).message}` });
    }
  };

  return (
    <Dialog title="Search messages" onClose={close} className="search-dialog">
      <div className="search-box">
        <input
          data-testid="search-input"
          type="search"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls="search-results"
          aria-activedescendant={results.length ? `search-result-${active}` : undefined}
          placeholder='Search messages: words, "a phrase", or a number'
          value={query}
          autoFocus
          // The last search is kept for the next opening: selected, so typing starts a new one and arrows keep it.
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => store().setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              store().move(e.key === 'ArrowDown' ? 1 : -1);
            } else if (e.key === 'Enter' && results[active]) {
              e.preventDefault();
              go(results[active]);
            }
          }}
        />
      </div>
      <div className="search-filters" role="group" aria-label="Filters">
        <select aria-label="Direction" value={filters.direction ?? ''} onChange={(e) => store().setFilters({ direction: (e.target.value || null) as 'in' | 'out' | null })}>
          <option value="">Both directions</option>
          <option value="in">Received</option>
          <option value="out">Sent</option>
        </select>
        <select aria-label="Status" value={filters.status ?? ''} onChange={(e) => store().setFilters({ status: (e.target.value || null) as never })}>
          <option value="">Any status</option>
          {MESSAGE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Date" value={filters.withinDays ?? ''} onChange={(e) => store().setFilters({ withinDays: e.target.value ? Number(e.target.value) : null })}>
          <option value="">Any time</option>
          <option value="1">Last day</option>
          <option value="7">Last week</option>
          <option value="30">Last month</option>
          <option value="365">Last year</option>
        </select>
        <input
          data-testid="search-number"
          className="search-number"
          type="search"
          inputMode="tel"
          aria-label="Number"
          aria-invalid={numberInvalid}
          placeholder="Any number"
          value={filters.number}
          onChange={(e) => store().setFilters({ number: e.target.value })}
        />
        <label className="check">
          <input type="checkbox" checked={filters.hasMedia} onChange={(e) => store().setFilters({ hasMedia: e.target.checked })} /> Has media
        </label>
        {openThreadId && (
          <label className="check">
            <input type="checkbox" checked={filters.threadId !== null} onChange={(e) => store().setFilters({ threadId: e.target.checked ? openThreadId : null })} /> This conversation
          </label>
        )}
      </div>
      {request?.number && !filters.number.trim() ? (
        <p className="search-scope" data-testid="search-scope">
          Messages with <strong>{formatPhone(request.number)}</strong>
        </p>
      ) : (
        people.length > 0 && (
          <p className="search-scope" data-testid="search-scope">
            Messages with
            {people.map((c) => (
              <button key={c.number} type="button" className="link-button" onClick={() => (store().setQuery(''), store().setFilters({ number: formatPhone(c.number) }))}>
                {c.name || formatPhone(c.number)}
              </button>
            ))}
          </p>
        )
      )}
      <ul ref={listRef} id="search-results" className="search-results" role="listbox" aria-label="Results" aria-busy={loading || loadingMore} onScroll={onScroll}>
        {results.map((r, i) => (
          <li
            key={r.message.id}
            id={`search-result-${i}`}
            role="option"
            aria-selected={i === active}
            data-index={i}
            data-testid="search-result"
            data-message-id={r.message.id}
            className={i === active ? 'active' : ''}
            onMouseMove={() => i !== active && store().setActive(i)}
            onClick={() => go(r)}
          >
            <div className="result-head">
              <strong>{threadTitle(r.thread)}</strong>
              <span className="muted">
                {r.message.direction === 'out' ? 'You · ' : ''}
                {shortTime(r.message.createdAt, now)}
              </span>
            </div>
            <Snippet parts={r.snippet} />
          </li>
        ))}
      </ul>
      <p className="search-footer muted" aria-live="polite">
        {error ? (
          <span className="danger">Search failed: {error}</span>
        ) : loading ? (
          'Searching…'
        ) : numberInvalid ? (
          <span className="danger">Type a whole phone number, e.g. (919) 555-1234</span>
        ) : request ? (
          count(results.length, nextCursor !== null, loadingMore)
        ) : (
          'Search works offline, across every conversation.'
        )}
        {results.length > 0 && (
          <button type="button" className="link-button" onClick={() => void exportResults()}>
            Export CSV
          </button>
        )}
        {/* One run of text, so a narrow window moves it to a line of its own instead of squeezing each word into a column. */}
        <span className="search-keys">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </span>
      </p>
    </Dialog>
  );
}

/** An honest count: while more pages exist, the results so far and a plus ("50+ results"); never a COUNT over every hit. */
function count(shown: number, more: boolean, loadingMore: boolean): string {
  const counted = `${shown}${more ? '+' : ''} result${shown === 1 && !more ? '' : 's'}`;
  return loadingMore ? `${counted} · loading more…` : more ? `${counted} · scroll for more` : counted;
}
