import { useState } from 'react';
import type { QuickReply } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Feedback } from './Feedback';
import { useSettingsStore } from './settingsStore';

const newId = () => `qr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export function QuickRepliesSection({ replies }: { replies: readonly QuickReply[] }) {
  const api = useApi();
  const [list, setList] = useState<QuickReply[]>([...replies]);
  const [draft, setDraft] = useState({ title: '', body: '' });
  const save = (next: QuickReply[]) => {
    setList(next);
    void useSettingsStore.getState().update(api.client, { quickReplies: next }, 'quick-replies');
  };
  return (
    <section aria-labelledby="qr-heading">
      <h2 id="qr-heading">Quick replies</h2>
      <p className="muted">
        Templates for answers you give often. <code>{'{name}'}</code>, <code>{'{first_name}'}</code> and <code>{'{number}'}</code> are filled from the conversation; <code>{'{}'}</code> or
        any other <code>{'{word}'}</code> is a blank you fill in before sending.
      </p>
      <ul className="qr-list">
        {list.map((r) => (
          <li key={r.id}>
            <div>
              <strong>{r.title}</strong>
              <p className="muted">{r.body}</p>
            </div>
            <button type="button" onClick={() => save(list.filter((x) => x.id !== r.id))} aria-label={`Delete ${r.title}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.title.trim() || !draft.body.trim()) return;
          save([...list, { id: newId(), title: draft.title.trim(), body: draft.body }]);
          setDraft({ title: '', body: '' });
        }}
      >
        <label className="field">
          <span>Title</span>
          <input value={draft.title} maxLength={80} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
        </label>
        <label className="field">
          <span>Text</span>
          <textarea rows={3} value={draft.body} maxLength={2048} onChange={(e) => setDraft({ ...draft, body: e.target.value })} placeholder="Hi {first_name}, your order {} ships today." />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary">
            Add quick reply
          </button>
        </div>
      </form>
      <Feedback section="quick-replies" />
    </section>
  );
}
