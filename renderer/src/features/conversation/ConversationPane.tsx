import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../../../shared/domain/phone';
import { isSenderId } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Avatar } from '../../components/Avatar';
import { MessageBubble } from '../../components/MessageBubble';
import { Icon } from '../../components/Icon';
import { useAccountStore } from '../account/accountStore';
import { attachFiles } from '../composer/attachFiles';
import { Composer } from '../composer/Composer';
import { initials, threadTitle } from '../threads/recipients';
import { useContactStore } from '../contact/contactStore';
import { toggleContactPanel } from '../contact/togglePanel';
import { useUiStore } from '../ui/uiStore';
import { download } from '../ui/download';
import { useNow } from '../ui/useNow';
import { useConversationStore } from './conversationStore';
import { closeThread } from './openThread';
import { buildRows, systemText } from './layout';

/** Within this many pixels of the bottom the view follows new messages. */
const STICK_PX = 80;
/** Within this many pixels of either end of what is loaded, the next page is fetched. */
const FETCH_PX = 300;
/** Space above the first row and below the last: the virtualizer's padding, so its offsets are the element's. */
const EDGE_PX = 8;

// Bubbles are memoised: what they get must keep its identity from render to render.
const NO_NAMES: Record<string, string> = {};
const openImage = (url: string, name: string) => useUiStore.getState().openViewer({ url, name });

export function ConversationPane() {
  const api = useApi();
  const { thread, threadId, messages, loading, error, highlightId, olderCursor, actionErrors } = useConversationStore(
    useShallow((s) => ({
      thread: s.thread,
      threadId: s.threadId,
      messages: s.messages,
      loading: s.loading,
      error: s.error,
      highlightId: s.highlightId,
      olderCursor: s.olderCursor,
      actionErrors: s.actionErrors,
    })),
  );
  const sandbox = useAccountStore((s) => s.status?.mode === 'sandbox');
  const panelOpen = useContactStore((s) => s.open);
  const isGroup = (thread?.participants.length ?? 0) > 1;
  const now = useNow(60_000);
  const optedOut = thread ? thread.optedOut : null;
  const rows = useMemo(() => buildRows(messages, isGroup, now, !olderCursor, optedOut), [messages, isGroup, now, olderCursor, optedOut]);
  const retry = useCallback((messageId: string) => void useConversationStore.getState().retry(api.client, messageId), [api]);
  const cancel = useCallback((messageId: string) => void useConversationStore.getState().cancel(api.client, messageId), [api]);
  // The virtualizer re-measures every row whenever getItemKey changes identity: keep it for as long as the rows.
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** Whether the loaded messages have been placed on screen since they were last empty (a fresh open). */
  const placed = useRef(false);
  /** Whether the reader is at the bottom, so the view follows new messages and rows that grow. Set as they scroll. */
  const stick = useRef(true);
  /** The first loaded message's start minus the scroll offset: a page prepended above leaves it where it was. */
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const edges = useRef<{ first: string | null; last: string | null }>({ first: null, last: null });
  /** The first customer message that arrived while the reader was up in the history: the view offers to jump to it. */
  const [firstUnseen, setFirstUnseen] = useState<string | null>(null);
  const unseen = useMemo(() => {
    const i = firstUnseen ? messages.findIndex((m) => m.id === firstUnseen) : -1;
    return i < 0 ? 0 : messages.slice(i).filter((m) => m.direction === 'in').length;
  }, [messages, firstUnseen]);
  const [dragging, setDragging] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportThread = async (format: 'csv' | 'json') => {
    if (!threadId) return;
    try {
      const file = await api.client.call('threads.export', { threadId, format });
      setExportError(null);
      download(file.filename, file.content, file.contentType);
    } catch (e) {
      setExportError(`Export failed: ${(e as Error).message}`);
    }
  };

  // The virtualizer's functions change identity on every render; nothing here memoises them, so the compiler's
  // opt-out for this component is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? 40 : 64),
    // About 300 px beyond each edge: more than a fast wheel moves in a frame. Every extra row is style and layout work
    // in every frame; 12 measured worse on the 10,000-message thread.
    overscan: 6,
    getItemKey,
    paddingStart: EDGE_PX,
    paddingEnd: EDGE_PX,
  });

  // The reader's place is kept in the virtualizer's numbers (nothing sits above its rows; its padding is the list's).
  // While scrolling, the page's layout is read only in the scroll event, which comes before the virtualizer re-renders
  // the rows, so nothing has to be laid out twice in a frame; rows measured above the screen it compensates itself.
  const startOf = useCallback((id: string) => virtualizer.measurementsCache[rows.findIndex((r) => r.key === id)]?.start, [rows, virtualizer]);
  const onScroll = () => {
    const el = scrollRef.current;
    const store = useConversationStore.getState();
    if (!el) return;
    const fromBottom = el.scrollHeight - el.clientHeight - el.scrollTop;
    stick.current = fromBottom < STICK_PX && !store.newerCursor;
    if (stick.current && firstUnseen) setFirstUnseen(null);
    const first = store.messages[0]?.id;
    const start = first === undefined ? undefined : startOf(first);
    if (first !== undefined && start !== undefined) anchor.current = { id: first, offset: start - el.scrollTop };
    if (store.olderCursor && el.scrollTop < FETCH_PX) void store.loadOlder(api.client);
    if (store.newerCursor && fromBottom < FETCH_PX) void store.loadNewer(api.client);
  };
  // A page that arrived with the reader still near that end fetches the next.
  useEffect(onScroll, [messages]); // eslint-disable-line react-hooks/exhaustive-deps
  // A message that arrives while the reader is up in the history leaves the view where it is (below), and is counted
  // in a button that jumps down: the engine marks it read, so it must not pass unseen.
  useEffect(
    () =>
      useConversationStore.subscribe((s, prev) => {
        const last = s.messages.at(-1);
        if (s.threadId !== prev.threadId || s.messages.length === 0) setFirstUnseen(null);
        else if (last && last.id !== prev.messages.at(-1)?.id && last.direction === 'in' && prev.messages.length > 0 && !prev.newerCursor && !stick.current) {
          setFirstUnseen((first) => first ?? last.id);
        }
      }),
    [],
  );
  // Down to the newest, following from there (the button clears as the bottom is reached): for the button, and for the
  // agent's own message wherever they were reading (its event may have come before the send's answer).
  const toNewest = useCallback(() => {
    stick.current = true;
    virtualizer.scrollToEnd();
  }, [virtualizer]);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const first = messages[0]?.id ?? null;
    const last = messages.at(-1)?.id ?? null;
    const before = edges.current;
    edges.current = { first, last };
    if (!el || rows.length === 0) {
      placed.current = false;
      return;
    }
    if (!placed.current) {
      // A fresh open lands at the bottom, or centred on the search hit; the virtualizer re-aims as rows get measured.
      placed.current = true;
      const target = highlightId ? rows.findIndex((r) => r.key === highlightId) : -1;
      stick.current = target < 0 && !useConversationStore.getState().newerCursor;
      if (target >= 0) virtualizer.scrollToIndex(target, { align: 'center' });
      else virtualizer.scrollToEnd();
    } else if (first !== before.first && last === before.last) {
      const start = anchor.current ? startOf(anchor.current.id) : undefined;
      if (anchor.current && start !== undefined) el.scrollTop = start - anchor.current.offset;
    } else if (last !== before.last && stick.current) {
      virtualizer.scrollToEnd();
    }
  }, [messages, rows, highlightId, virtualizer, startOf]);
  // Rows measured after they render (images, long texts) and a composer or window that changes size: a reader at the
  // bottom stays there.
  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (stick.current && placed.current) virtualizer.scrollToEnd();
  }, [totalSize, virtualizer]);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) virtualizer.scrollToEnd();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [threadId, virtualizer]);

  if (!threadId) {
    return (
      <div className="empty-state">
        <h2>No conversation open</h2>
        {sandbox ? (
          <>
            <p>This is a sandbox: no account and no internet needed, and nothing leaves this computer.</p>
            <p>
              Try texting <strong>(984) 555-0151</strong>, a simulated customer who answers. Numbers (919) 555-<em>CCCC</em> fail on purpose with Bandwidth error{' '}
              <em>CCCC</em>, for example (919) 555-4720.
            </p>
          </>
        ) : (
          <p>Pick a conversation on the left, or start a new one.</p>
        )}
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => useUiStore.getState().openDialog('new-conversation')}>
            New conversation <kbd>Ctrl+N</kbd>
          </button>
          {sandbox && (
            <button type="button" onClick={() => useUiStore.getState().openDialog('simulate-inbound')}>
              Simulate a customer text
            </button>
          )}
        </div>
      </div>
    );
  }

  const title = thread ? threadTitle(thread) : '';
  const dropFiles = (files: File[]) => {
    // Nothing can be sent to an opted-out customer, a short code or a sender name (see Composer).
    if (thread && !thread.optedOut && !thread.participants.some(isSenderId)) attachFiles(thread.id, files, api.upload);
  };

  return (
    <div
      className={`conversation${dragging ? ' dragging' : ''}`}
      data-testid="attachment-dropzone"
      onDragEnter={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        dropFiles([...e.dataTransfer.files]);
      }}
    >
      <header className="conversation-header">
        <button
          type="button"
          className="icon-button back-button"
          aria-label="Back to the conversations"
          onClick={() => {
            // The list comes back in the conversation's place with the thread just left selected, and takes the focus
            // this button had: the keys carry on from there (Enter opens it again, ↑/↓ pick another).
            closeThread(api.client);
            requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="thread-list"]')?.focus());
          }}
        >
          ←
        </button>
        {thread && <Avatar label={isGroup ? String(thread.participants.length) : initials(title)} colorKey={thread.participants.join()} size={36} />}
        <div className="conversation-title">
          <h2>{title || 'Loading…'}</h2>
          {thread && (
            <span className="muted">
              {isGroup ? `Group of ${thread.participants.length} · ` : thread.names[thread.participants[0] ?? ''] ? `${formatPhone(thread.participants[0] ?? '')} · ` : ''}
              from {formatPhone(thread.ourNumber)}
            </span>
          )}
        </div>
        {thread?.optedOut && <span className="badge badge-danger">Opted out</span>}
        {exportError && (
          <span className="danger" role="alert">
            {exportError}
          </span>
        )}
        <span className="muted export-label" aria-hidden="true">
          Export
        </span>
        {(['csv', 'json'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="icon-button text"
            onClick={() => void exportThread(format)}
            aria-label={`Export this conversation as ${format.toUpperCase()}`}
            title={`Export this conversation as ${format.toUpperCase()}`}
          >
            {format.toUpperCase()}
          </button>
        ))}
        <button
          type="button"
          className="icon-button"
          aria-label="Contact details"
          aria-pressed={panelOpen}
          title="Contact details (Ctrl+I)"
          data-testid="contact-panel-toggle"
          onClick={toggleContactPanel}
        >
          <Icon name="panel" />
        </button>
      </header>
      {error && (
        <p className="pane-error" role="alert">
          Could not load messages: {error}
        </p>
      )}
      <div className="messages-frame">
        <div ref={scrollRef} className="messages" role="log" aria-label={`Messages with ${title}`} aria-busy={loading !== null} onScroll={onScroll} tabIndex={0}>
          {loading === 'initial' && (
            <div aria-hidden="true" className="skeleton-messages">
              <div className="skeleton-bubble in" />
              <div className="skeleton-bubble out" />
              <div className="skeleton-bubble in" />
            </div>
          )}
          {loading !== 'initial' && messages.length === 0 && !error && <p className="empty-thread muted">No messages yet. Say hello below.</p>}
          <div className="messages-inner" style={{ height: totalSize }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row" style={{ transform: `translateY(${item.start}px)` }}>
                  {row.kind === 'beginning' ? (
                    <div className="loading-line muted">Beginning of the conversation</div>
                  ) : row.kind === 'day' ? (
                    <div className="day-separator" role="separator">
                      <span>{row.label}</span>
                    </div>
                  ) : row.kind === 'system' ? (
                    <p className={`system-line system-${row.event}`} data-testid="system-line">
                      {systemText(row, thread?.names[row.number] ?? formatPhone(row.number))}
                    </p>
                  ) : (
                    <MessageBubble
                      message={row.message}
                      sender={row.showSender ? (thread?.names[row.message.from] ?? formatPhone(row.message.from)) : null}
                      names={thread?.names ?? NO_NAMES}
                      groupStart={row.groupStart}
                      groupEnd={row.groupEnd}
                      highlighted={row.message.id === highlightId}
                      optedOut={thread?.optedOut ?? false}
                      actionError={actionErrors[row.message.id]}
                      onRetry={retry}
                      onCancel={cancel}
                      onOpenImage={openImage}
                    />
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {unseen > 0 && (
          <button type="button" className="primary jump-newest" data-testid="jump-to-newest" onClick={toNewest}>
            ↓ {unseen === 1 ? '1 new message' : `${unseen} new messages`}
          </button>
        )}
      </div>
      {loading === 'older' && (
        <div className="loading-older" role="status">
          Loading older messages…
        </div>
      )}
      {thread && <Composer thread={thread} onSent={toNewest} />}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop files to attach them</div>
        </div>
      )}
    </div>
  );
}
