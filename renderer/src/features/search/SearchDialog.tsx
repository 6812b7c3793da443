import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MESSAGE_STATUSES, type SearchResult } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { Snippet } from '../../components/Snippet';
import { useConversationStore } from '../conversation/conversationStore';
import { openThread } from '../conversation/openThread';
import { shortTime, threadTitle } from '../threads/recipients';
import { useNow } from '../ui/useNow';
import { download } from '../ui/download';
import { searchInput, useSearchStore } from './searchStore';

/** How long typing must pause before a query goes out. */
const DEBOUNCE_MS = 120;

export function SearchDialog() {
  const api = useApi();
  const { query, filters, results, active, loading, error } = useSearchStore(
    useShallow((s) => ({ query: s.query, filters: s.filters, results: s.results, active: s.active, loading: s.loading, error: s.error })),
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

  const close = () => store().setOpen(false);
  const go = (result: SearchResult) => {
    close();
    void openThread(api.client, result.thread.id, { around: result.message.id, thread: result.thread });
  };
  const now = useNow(60_000);
  const exportResults = async () => {
    try {
      const file = await api.client.call('search.export', { ...searchInput(query, filters, Date.now()), format: 'csv' });
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
          placeholder='Search messages: words, prefix*, "a phrase"'
          value={query}
          autoFocus
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
        <label className="check">
          <input type="checkbox" checked={filters.hasMedia} onChange={(e) => store().setFilters({ hasMedia: e.target.checked })} /> Has media
        </label>
        {openThreadId && (
          <label className="check">
            <input type="checkbox" checked={filters.threadId !== null} onChange={(e) => store().setFilters({ threadId: e.target.checked ? openThreadId : null })} /> This conversation
          </label>
        )}
      </div>
      <ul ref={listRef} id="search-results" className="search-results" role="listbox" aria-label="Results" aria-busy={loading}>
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
        {error ? <span className="danger">Search failed: {error}</span> : loading ? 'Searching…' : query.trim() ? `${results.length} result${results.length === 1 ? '' : 's'}` : 'Search works offline, across every conversation.'}
        {results.length > 0 && (
          <button type="button" className="link-button" onClick={() => void exportResults()}>
            Export CSV
          </button>
        )}
        <span className="grow" />
        <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
      </p>
    </Dialog>
  );
}
