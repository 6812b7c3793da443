import { memo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { mmsTooLarge } from '../../../../shared/domain/mms';
import { formatPhone } from '../../../../shared/domain/phone';
import { isSenderId, type Thread } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { AttachmentChip } from '../../components/AttachmentChip';
import { Icon } from '../../components/Icon';
import { SegmentCounter } from '../../components/SegmentCounter';
import { useAccountStore } from '../account/accountStore';
import { useConversationStore } from '../conversation/conversationStore';
import { useSettingsStore } from '../settings/settingsStore';
import { useNow } from '../ui/useNow';
import { attachFiles } from './attachFiles';
import { DEFAULT_OPTIONS, isEmpty, MAX_ATTACHMENTS, MAX_TEXT, useComposerStore, waitingLine } from './composerStore';
import { mmsLabel } from './counter';
import { knownVariables } from './quickReplies';
import { QuickReplyPicker } from './QuickReplyPicker';
import { whenLabel } from '../ui/dates';
import { laterProblem } from './sendLater';

/** A local date-time string for <input type="datetime-local">. */
const toLocalInput = (t: number) => {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

// Memoised: the conversation above it re-renders on every scrolled frame, and the composer depends only on its thread.
// `onSent` is called once the sent message is in the conversation, for it to bring the message into view.
export const Composer = memo(function Composer({ thread, onSent }: { thread: Thread; onSent: () => void }) {
  const api = useApi();
  const id = thread.id;
  const { text, allChips, options, error, refusedOptOut, overdue, waiting, stalled } = useComposerStore(
    useShallow((s) => ({
      overdue: s.overdue[id] ?? false,
      text: s.drafts[id] ?? '',
      allChips: s.chips,
      options: s.options[id] ?? DEFAULT_OPTIONS,
      error: s.errors[id] ?? null,
      refusedOptOut: s.optedOut[id] ?? false,
      waiting: s.outbox.filter((e) => e.target.threadId === id).length,
      stalled: s.stalled,
    })),
  );
  const connection = useAccountStore((s) => s.connection);
  const senderClass = useAccountStore((s) => s.status?.numbers.find((n) => n.number === thread.ourNumber)?.class);
  const waitingNote = waitingLine(waiting, connection, stalled);
  const chips = allChips.filter((c) => c.threadId === id);
  // Said as soon as the files are staged, not after Enter: the engine refuses the message for it.
  const tooLarge = senderClass ? mmsTooLarge(chips.reduce((sum, c) => sum + (c.state === 'ready' ? c.size : 0), 0), senderClass) : null;
  const { sendAt } = options;
  const quickReplies = useSettingsStore((s) => s.settings?.quickReplies) ?? [];
  const [picker, setPicker] = useState<'quick' | 'later' | null>(null);
  const [later, setLater] = useState('');
  const [laterError, setLaterError] = useState<string | null>(null);
  const now = useNow(60_000);
  const fileInput = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const quickButton = useRef<HTMLButtonElement>(null);
  const laterButton = useRef<HTMLButtonElement>(null);
  const store = useComposerStore.getState;

  // Short codes and sender names text us but take no texts: say so rather than let the agent write into a refusal.
  const noReply = thread.participants.filter(isSenderId);
  if (noReply.length > 0) {
    return (
      <div className="composer blocked no-reply" role="note" data-testid="no-reply-block">
        <Icon name="blocked" size={20} />
        <div>
          <strong>{noReply.join(', ')} cannot be replied to.</strong>
          <p className="muted">Short codes and sender names, as banks and services text from, send texts but do not receive them.</p>
        </div>
      </div>
    );
  }

  if (thread.optedOut || refusedOptOut) {
    const who = thread.participants.map((p) => thread.names[p] ?? formatPhone(p)).join(', ');
    return (
      <div className="composer blocked" role="note" data-testid="opted-out-block">
        <Icon name="blocked" size={20} />
        <div>
          <strong>{who} opted out of messages from {formatPhone(thread.ourNumber)}.</strong>
          <p className="muted">You cannot text them until they reply START. {error && refusedOptOut ? error : ''}</p>
        </div>
      </div>
    );
  }

  const send = async () => {
    // Resolves once the engine has the message: at once, or when Switchboard is back.
    const message = await store().send(api.client, { threadId: id, from: thread.ourNumber, to: thread.participants });
    if (message) {
      setPicker(null);
      if (await useConversationStore.getState().sent(api.client, message)) onSent();
    }
  };
  const addFiles = (files: File[]) => attachFiles(id, files, api.upload);
  const openLater = () => {
    setLater(toLocalInput(sendAt && sendAt > Date.now() ? sendAt : Date.now() + 3_600_000));
    setLaterError(null);
    setPicker('later');
  };
  /** Schedule in the popover: with something to send it goes into the queue now, as Enter would; else Enter will. */
  const schedule = () => {
    const at = new Date(later).getTime();
    const problem = laterProblem(at, Date.now());
    setLaterError(problem);
    if (problem) return;
    store().setOptions(id, { sendAt: at });
    setPicker(null);
    if (!isEmpty(text, chips)) void send();
    else input.current?.focus();
  };
  /** Escape or Close: focus was inside the popover, so it goes back to the button that opened it, not to the page. */
  const closePicker = () => {
    (picker === 'quick' ? quickButton : laterButton).current?.focus();
    setPicker(null);
  };
  const insert = (snippet: string) => {
    store().setDraft(id, text ? `${text}${text.endsWith(' ') ? '' : ' '}${snippet}` : snippet);
    setPicker(null);
    input.current?.focus();
  };
  const customer = thread.participants[0] ?? '';
  const contactName = thread.participants.length === 1 ? thread.names[customer] : undefined;

  return (
    <div className="composer">
      {chips.length > 0 && (
        <ul className="chips" aria-label="Attachments">
          {chips.map((c) => (
            <AttachmentChip key={c.localId} chip={c} onRemove={() => store().removeChip(api.client, c.localId)} />
          ))}
        </ul>
      )}
      {tooLarge && (
        <p className="composer-error" role="alert" data-testid="attachments-too-large">
          {tooLarge} Remove a file before sending.
        </p>
      )}
      {error && (
        <p className="composer-error" role="alert" data-testid="composer-error">
          {error}
          {overdue && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => {
                store().setOptions(id, { sendAt: null });
                void send();
              }}>
                Send now
              </button>
              {' · '}
              <button type="button" className="link-button" onClick={openLater}>
                Pick a new time
              </button>
            </>
          )}
        </p>
      )}
      {waitingNote && (
        <p className="composer-note" role="status" data-testid="composer-waiting">
          <Icon name="clock" size={14} /> {waitingNote}
        </p>
      )}
      {sendAt && !overdue && (
        <p className="composer-note" data-testid="send-later-note">
          <Icon name="scheduled" size={14} /> Enter will schedule this for {whenLabel(sendAt, now)}.
          <button type="button" className="link-button" onClick={() => store().setOptions(id, { sendAt: null })}>
            Send now instead
          </button>
        </p>
      )}
      <div className="composer-row">
        <button type="button" className="icon-button" aria-label="Attach files" title="Attach files" onClick={() => fileInput.current?.click()}>
          <Icon name="clip" size={18} />
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="attachment-input"
          onChange={(e) => {
            addFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <textarea
          ref={input}
          data-testid="composer-input"
          aria-label={`Message to ${thread.participants.map((p) => thread.names[p] ?? formatPhone(p)).join(', ')}`}
          placeholder="Write a message…"
          rows={1}
          value={text}
          onChange={(e) => store().setDraft(id, e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          onPaste={(e) => {
            const files = [...e.clipboardData.files];
            if (files.length) {
              e.preventDefault();
              addFiles(files);
            }
          }}
        />
        <div className="composer-actions">
          <button ref={quickButton} type="button" className="icon-button" aria-label="Quick replies" title="Quick replies" aria-expanded={picker === 'quick'} onClick={() => setPicker(picker === 'quick' ? null : 'quick')}>
            <Icon name="bolt" size={18} />
          </button>
          <button ref={laterButton} type="button" className="icon-button" aria-label="Send later and options" title="Send later, priority, tag" aria-expanded={picker === 'later'} onClick={() => (picker === 'later' ? setPicker(null) : openLater())}>
            <Icon name="scheduled" size={18} />
          </button>
          <button type="button" className="send-button" data-testid="send-button" onClick={() => void send()} aria-label={sendAt ? 'Schedule' : 'Send'} title="Send (Enter)">
            <Icon name="send" size={18} />
          </button>
        </div>
        {picker === 'quick' && (
          <QuickReplyPicker
            replies={quickReplies}
            known={knownVariables(contactName, formatPhone(customer), formatPhone(thread.ourNumber))}
            onInsert={insert}
            onClose={closePicker}
          />
        )}
        {picker === 'later' && (
          <div className="popover send-later" role="dialog" aria-label="Send later and options" onKeyDown={(e) => e.key === 'Escape' && closePicker()}>
            <label className="field">
              <span>Send at</span>
              <input
                type="datetime-local"
                autoFocus
                data-testid="send-at"
                min={toLocalInput(now)}
                value={later}
                aria-invalid={laterError ? true : undefined}
                aria-describedby={laterError ? `send-at-error-${id}` : undefined}
                onChange={(e) => {
                  setLater(e.target.value);
                  setLaterError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    schedule();
                  }
                }}
              />
            </label>
            {laterError && (
              <p className="composer-error" role="alert" id={`send-at-error-${id}`} data-testid="send-at-error">
                {laterError}
              </p>
            )}
            <label className="check">
              <input type="checkbox" checked={options.priority === 'high'} onChange={(e) => store().setOptions(id, { priority: e.target.checked ? 'high' : 'default' })} /> High priority (goes ahead
              of the queue, not held by quiet hours)
            </label>
            <label className="field">
              <span>Tag (kept with the message, for your records)</span>
              <input value={options.tag} maxLength={1024} onChange={(e) => store().setOptions(id, { tag: e.target.value })} data-testid="send-tag" />
            </label>
            <div className="dialog-actions">
              <button type="button" onClick={closePicker}>
                Close
              </button>
              <button
                type="button"
                className="primary"
                data-testid="send-at-confirm"
                onClick={schedule}
              >
                Schedule
              </button>
            </div>
          </div>
        )}
      </div>
      <SegmentCounter text={text} limit={MAX_TEXT} mms={mmsLabel(chips.filter((c) => c.state !== 'failed').length, thread.participants.length, MAX_ATTACHMENTS)} onFix={(fixed) => store().setDraft(id, fixed)} />
    </div>
  );
});
