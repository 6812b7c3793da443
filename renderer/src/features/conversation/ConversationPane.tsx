import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../../../shared/domain/phone';
import { useApi } from '../../api/context';
import { Avatar } from '../../components/Avatar';
import { MessageBubble } from '../../components/MessageBubble';
import { Icon } from '../../components/Icon';
import { useAccountStore } from '../account/accountStore';
import { attachFiles } from '../composer/attachFiles';
import { Composer } from '../composer/Composer';
import { initials, threadTitle } from '../threads/recipients';
import { useContactStore } from '../contact/contactStore';
import { useThreadsStore } from '../threads/threadsStore';
import { useUiStore } from '../ui/uiStore';
import { download } from '../ui/download';
import { useNow } from '../ui/useNow';
import { useConversationStore } from './conversationStore';
import { buildRows } from './layout';

/** Within this many pixels of the bottom the view follows new messages. */
const STICK_PX = 80;

// Bubbles are memoised: what they get must keep its identity from render to render.
const NO_NAMES: Record<string, string> = {};
const openImage = (url: string, name: string) => useUiStore.getState().openViewer({ url, name });

export function ConversationPane() {
  const api = useApi();
  const { thread, threadId, messages, loading, error, highlightId, olderCursor, newerCursor, actionErrors } = useConversationStore(
    useShallow((s) => ({
      thread: s.thread,
      threadId: s.threadId,
      messages: s.messages,
      loading: s.loading,
      error: s.error,
      highlightId: s.highlightId,
      olderCursor: s.olderCursor,
      newerCursor: s.newerCursor,
      actionErrors: s.actionErrors,
    })),
  );
  const sandbox = useAccountStore((s) => s.status?.mode === 'sandbox');
  const panelOpen = useContactStore((s) => s.open);
  const isGroup = (thread?.participants.length ?? 0) > 1;
  const now = useNow(60_000);
  const rows = useMemo(() => buildRows(messages, isGroup, now), [messages, isGroup, now]);
  // Row positions are looked up by key after every commit and scroll; a scan of every loaded row each time added up.
  const rowIndex = useMemo(() => new Map(rows.map((r, i) => [r.key, i])), [rows]);
  const retry = useCallback((messageId: string) => void useConversationStore.getState().retry(api.client, messageId), [api]);
  const cancel = useCallback((messageId: string) => void useConversationStore.getState().cancel(api.client, messageId), [api]);
  // The virtualizer re-measures every row whenever getItemKey changes identity: keep it for as long as the rows.
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  /** Where the first loaded message sat on screen, so a page prepended above it leaves it there. */
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const lock = useRef<{ id: string; offset: number } | null>(null);
  const edges = useRef<{ first: string | null; last: string | null; threadId: string | null }>({ first: null, last: null, threadId: null });
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
    overscan: 12,
    getItemKey,
  });

  // Keep the reader's place: a page of older messages leaves the message that was first where it was; the view
  // follows the bottom (new messages, rows measured after they render) only while the reader is there; a fresh
  // open lands at the bottom or centred on the search hit.
  const stick = useRef(true);
  const totalSize = virtualizer.getTotalSize();
  const rowTop = useCallback(
    (key: string): number | null => {
      const index = rowIndex.get(key);
      const start = index === undefined ? undefined : virtualizer.measurementsCache[index]?.start;
      return start === undefined ? null : (innerRef.current?.offsetTop ?? 0) + start;
    },
    [rowIndex, virtualizer],
  );
  const recordAnchor = () => {
    const el = scrollRef.current;
    const first = messages[0]?.id;
    const top = first ? rowTop(first) : null;
    if (el && first && top !== null) anchor.current = { id: first, offset: top - el.scrollTop };
  };
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const first = messages[0]?.id ?? null;
    const last = messages.at(-1)?.id ?? null;
    const before = edges.current;
    edges.current = { first, last, threadId };
    if (!el || rows.length === 0) return;
    if (before.threadId !== threadId || before.first === null) {
      lock.current = null;
      const target = highlightId ? (rowIndex.get(highlightId) ?? -1) : -1;
      stick.current = target < 0;
      if (target >= 0) {
        // Rows are measured as they render, so the first jump lands near; the next frames correct it.
        const jump = () => virtualizer.scrollToIndex(target, { align: 'center' });
        jump();
        requestAnimationFrame(() => requestAnimationFrame(jump));
      } else el.scrollTop = el.scrollHeight;
    } else if (first !== before.first && last === before.last) {
      const top = anchor.current ? rowTop(anchor.current.id) : null;
      if (top !== null && anchor.current) {
        el.scrollTop = top - anchor.current.offset;
        // Rows above get measured over the next frames and shift it; hold it until the reader moves.
        lock.current = anchor.current;
      }
    } else if (last !== before.last && stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, rows, rowIndex, threadId, highlightId, virtualizer, rowTop]);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [totalSize]);
  // After every commit (rows measured, pages merged): hold a locked anchor in place, else note it for the next prepend.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const held = lock.current;
    const top = held ? rowTop(held.id) : null;
    if (el && held && top !== null) {
      if (Math.abs(el.scrollTop - (top - held.offset)) > 0.5) el.scrollTop = top - held.offset;
    } else recordAnchor();
  });
  const unlock = () => (lock.current = null);
  // The composer grows (attachments, long drafts) and the window resizes: a reader at the bottom stays there.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [threadId]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.clientHeight - el.scrollTop;
    stick.current = fromBottom < STICK_PX && !newerCursor;
    if (!lock.current) recordAnchor();
    if (el.scrollTop < 300 && olderCursor) void useConversationStore.getState().loadOlder(api.client);
    if (fromBottom < 300 && newerCursor) void useConversationStore.getState().loadNewer(api.client);
  };
  useEffect(onScroll);

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
    if (thread && !thread.optedOut) attachFiles(thread.id, files, api.upload);
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
            useConversationStore.getState().close();
            useThreadsStore.getState().select(null);
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
          onClick={() => useContactStore.getState().toggle()}
        >
          <Icon name="panel" />
        </button>
      </header>
      <div ref={scrollRef} className="messages" role="log" aria-label={`Messages with ${title}`} aria-busy={loading !== null} onScroll={onScroll} onWheel={unlock} onTouchStart={unlock} onKeyDown={unlock} onPointerDown={unlock} tabIndex={0}>
        {!olderCursor && messages.length > 0 && loading !== 'initial' && <div className="loading-line muted">Beginning of the conversation</div>}
        {error && (
          <p className="pane-error" role="alert">
            Could not load messages: {error}
          </p>
        )}
        {loading === 'initial' && (
          <div aria-hidden="true" className="skeleton-messages">
            <div className="skeleton-bubble in" />
            <div className="skeleton-bubble out" />
            <div className="skeleton-bubble in" />
          </div>
        )}
        {loading !== 'initial' && messages.length === 0 && !error && <p className="empty-thread muted">No messages yet. Say hello below.</p>}
        <div ref={innerRef} className="messages-inner" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row" style={{ transform: `translateY(${item.start}px)` }}>
                {row.kind === 'day' ? (
                  <div className="day-separator" role="separator">
                    <span>{row.label}</span>
                  </div>
                ) : row.kind === 'system' ? (
                  <p className={`system-line system-${row.event}`} data-testid="system-line">
                    {row.event === 'opted-out'
                      ? `${thread?.names[row.number] ?? formatPhone(row.number)} opted out. Sending is blocked until they text START.`
                      : `${thread?.names[row.number] ?? formatPhone(row.number)} opted back in.`}
                  </p>
                ) : (
                  <MessageBubble
                    message={row.message}
                    sender={row.showSender ? (thread?.names[row.message.from] ?? formatPhone(row.message.from)) : null}
                    names={thread?.names ?? NO_NAMES}
                    groupStart={row.groupStart}
                    groupEnd={row.groupEnd}
                    highlighted={row.message.id === highlightId}
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
      {loading === 'older' && (
        <div className="loading-older" role="status">
          Loading older messages…
        </div>
      )}
      {thread && <Composer thread={thread} />}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop files to attach them</div>
        </div>
      )}
    </div>
  );
}
