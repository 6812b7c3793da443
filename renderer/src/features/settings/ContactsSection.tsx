import { useState } from 'react';
import { formatPhone } from '../../../../shared/domain/phone';
import { useApi } from '../../api/context';
import { download } from '../ui/download';
import { Feedback } from './Feedback';
import { useSettingsStore } from './settingsStore';


export function ContactsSection() {
  const api = useApi();
  const contacts = useSettingsStore((s) => s.contacts);
  const error = useSettingsStore((s) => s.errors.contacts);
  const [draft, setDraft] = useState({ number: '', name: '', notes: '' });
  const store = useSettingsStore.getState;
  return (
    <section aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Contacts</h2>
      <div className="form-actions left">
        <label className="button">
          Import CSV…
          <input
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="contacts-import"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) await store().importContacts(api.client, await file.text());
            }}
          />
        </label>
        <button
          type="button"
          onClick={async () => {
            const csv = await store().exportContacts(api.client);
            if (csv !== null) download('switchboard-contacts.csv', csv, 'text/csv');
          }}
        >
          Export CSV
        </button>
        <span className="muted">Columns: number, name, notes</span>
      </div>
      <Feedback section="contacts" />
      {error && (
        <p className="danger" role="alert">
          Could not load contacts: {error}
        </p>
      )}
      <form
        className="inline-fields"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await store().upsertContact(api.client, draft);
          if (ok) setDraft({ number: '', name: '', notes: '' });
        }}
      >
        <label className="field">
          <span>Number</span>
          <input required value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })} inputMode="tel" />
        </label>
        <label className="field">
          <span>Name</span>
          <input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label className="field grow">
          <span>Notes</span>
          <input value={draft.notes} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          Save contact
        </button>
      </form>
      {contacts.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Number</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => (
              <tr key={c.number}>
                <td>{c.name}</td>
                <td className="nowrap">{formatPhone(c.number)}</td>
                <td className="muted long-text">{c.notes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
