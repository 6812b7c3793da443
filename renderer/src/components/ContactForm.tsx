import { useId, useState } from 'react';
import type { Contact } from '../../../shared/ipc/schemas';
import { formatPhone } from '../../../shared/domain/phone';
import { Avatar } from './Avatar';
import { initials } from '../features/threads/recipients';

interface Props {
  number: string;
  contact: Contact | undefined;
  saving: boolean;
  error: string | undefined;
  onSave(input: { number: string; name: string; notes: string }): Promise<boolean>;
}

/** One participant's name and notes, edited in place; a new stored contact (loaded, or saved here) resets the fields to it. */
export function ContactForm({ number, contact, saving, error, onSave }: Props) {
  const id = useId();
  const [name, setName] = useState(contact?.name ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [saved, setSaved] = useState(false);
  const [shown, setShown] = useState(contact);
  if (shown !== contact) {
    setShown(contact);
    setName(contact?.name ?? '');
    setNotes(contact?.notes ?? '');
  }
  const dirty = name !== (contact?.name ?? '') || notes !== (contact?.notes ?? '');
  const label = contact?.name ?? formatPhone(number);
  return (
    <form
      className="contact-form"
      data-testid="contact-form"
      aria-label={`Contact ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void onSave({ number, name, notes }).then(setSaved);
      }}
    >
      <div className="contact-identity">
        <Avatar label={initials(label)} colorKey={number} size={40} />
        <div>
          <strong>{label}</strong>
          {/* The number under the name; without a name the title already is the number. */}
          {contact?.name && <div className="muted">{formatPhone(number)}</div>}
        </div>
      </div>
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={name}
        maxLength={200}
        placeholder="Add a name"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(false);
        }}
      />
      <label htmlFor={`${id}-notes`}>Notes</label>
      <textarea
        id={`${id}-notes`}
        value={notes}
        rows={3}
        maxLength={4000}
        placeholder="Anything the team should know"
        onChange={(e) => {
          setNotes(e.target.value);
          setSaved(false);
        }}
      />
      {error && (
        <p id={`${id}-error`} className="feedback danger" role="alert">
          {error}
        </p>
      )}
      <div className="contact-form-actions">
        {saved && !dirty && (
          <span className="muted" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={saving || !dirty}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
