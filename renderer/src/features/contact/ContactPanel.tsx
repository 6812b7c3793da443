import { useCallback, useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../../../shared/domain/phone';
import { isSenderId, type Thread } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { ContactForm } from '../../components/ContactForm';
import { Icon } from '../../components/Icon';
import { MediaGallery } from '../../components/MediaGallery';
import { keepTabInside } from '../ui/keepTabInside';
import { useUiStore } from '../ui/uiStore';
import { useConversationStore } from '../conversation/conversationStore';
import { useContactStore } from './contactStore';
import { lastFailures } from './lastFailure';
import { toggleContactPanel } from './togglePanel';

/** Wide windows give the panel a column of its own (styles.css); narrower ones lay it over the conversation. */
const COLUMN = '(min-width: 1100px)';

/**
 * The conversation's right panel: who the participants are (names and notes, editable), whether they can be
 * texted from our number, and the thread's media.
 */
export function ContactPanel({ thread }: { thread: Thread }) {
  const api = useApi();
  const s = useContactStore(
    useShallow((s) => ({
      contacts: s.contacts,
      media: s.media,
      mediaCursor: s.mediaCursor,
      mediaLoading: s.mediaLoading,
      mediaError: s.mediaError,
      saving: s.saving,
      saveErrors: s.saveErrors,
    })),
  );
  // The conversation beside the panel holds the thread's newest messages (unless it was opened further back).
  const loaded = useConversationStore((c) => (c.threadId === thread.id && !c.newerCursor ? c.messages : null));
  const participants = thread.participants.join();
  const failures = useMemo(() => (loaded ? lastFailures(loaded, participants.split(',')) : []), [loaded, participants]);
  useEffect(() => {
    void useContactStore.getState().load(api.client, thread.id, participants.split(','));
  }, [api, thread.id, participants]);
  const loadMore = useCallback(() => void useContactStore.getState().loadMoreMedia(api.client), [api]);
  const isGroup = thread.participants.length > 1;
  const who = (number: string) => thread.names[number] ?? formatPhone(number);
  const noReply = thread.participants.filter(isSenderId);
  // Laid over the conversation (styles.css), the panel is kept like a dialog: Tab stays in it, not on the controls it
  // covers, and Escape closes it, focus back where it was before it opened (togglePanel). A column keeps the keys as
  // they are everywhere else.
  const onKeyDown = (e: React.KeyboardEvent<HTMLElement>) => {
    if (window.matchMedia(COLUMN).matches) return;
    if (e.key === 'Escape') {
      e.stopPropagation();
      toggleContactPanel();
    } else {
      keepTabInside(e, e.currentTarget);
    }
  };

  return (
    <aside className="contact-panel" aria-label="Contact details" data-testid="contact-panel" onKeyDown={onKeyDown}>
      <header className="contact-panel-header">
        <h2>{isGroup ? `Group of ${thread.participants.length}` : 'Contact'}</h2>
        <button type="button" className="icon-button" aria-label="Close contact details" onClick={toggleContactPanel}>
          <Icon name="close" />
        </button>
      </header>
      {/* The thread keeps one flag (any participant opted out of our number); which one is not known here. */}
      <section className="contact-section" aria-label="Opt-out state" data-testid="opt-out-state">
        {noReply.length > 0 ? (
          <p className="opt-state">
            <Icon name="blocked" />
            <span>{noReply.join(', ')} cannot be replied to.</span>
          </p>
        ) : thread.optedOut ? (
          <p className="opt-state blocked">
            <Icon name="blocked" />
            <span>
              {isGroup ? 'A participant of this group' : who(thread.participants[0]!)} opted out of texts from {formatPhone(thread.ourNumber)}. Sending is
              blocked until they text START.
            </span>
          </p>
        ) : failures.length > 0 ? (
          // Not opted out, but the carrier refused the last message: "can receive texts" would be a claim it contradicts.
          failures.map((f) => (
            <p key={f.number} className="opt-state failed" data-testid="last-failure">
              <Icon name="failed" />
              <span>
                The last message to {who(f.number)} failed. {f.reason}
              </span>
            </p>
          ))
        ) : (
          <p className="opt-state ok">
            <Icon name="one" />
            <span>
              {isGroup ? 'Everyone here can' : 'Can'} receive texts from {formatPhone(thread.ourNumber)}.
            </span>
          </p>
        )}
      </section>
      <section className="contact-section" aria-label={isGroup ? 'Participants' : 'Name and notes'}>
        {isGroup && <h3>Participants</h3>}
        {thread.participants.map((number) => {
          // Contacts are kept per phone number (contacts.upsert takes nothing else).
          if (isSenderId(number)) {
            return (
              <p key={number} className="muted" data-testid="sender-id">
                {number} is a short code or sender name, not a phone number: it has no contact card.
              </p>
            );
          }
          const contact = s.contacts[number];
          return (
            <ContactForm
              key={number}
              number={number}
              contact={contact}
              saving={s.saving[number] ?? false}
              error={s.saveErrors[number]}
              onSave={(input) => useContactStore.getState().save(api.client, input)}
            />
          );
        })}
      </section>
      <section className="contact-section" aria-label="Media">
        <h3>Media</h3>
        <MediaGallery
          items={s.media}
          hasMore={s.mediaCursor !== null}
          loading={s.mediaLoading}
          error={s.mediaError}
          onLoadMore={loadMore}
          onOpenImage={(url, name) => useUiStore.getState().openViewer({ url, name })}
        />
      </section>
    </aside>
  );
}
