import { useState } from 'react';
import type { QuickReply } from '../../../../shared/ipc/schemas';
import { fillTemplate, missingFields, templateFields } from './quickReplies';

interface Props {
  replies: readonly QuickReply[];
  known: Record<string, string>;
  onInsert(text: string): void;
  onClose(): void;
}

/** Pick a template, fill its variables and blanks, insert the result. */
export function QuickReplyPicker({ replies, known, onInsert, onClose }: Props) {
  const [chosen, setChosen] = useState<QuickReply | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const fields = chosen ? templateFields(chosen.body, known) : [];
  const missing = missingFields(fields, values);

  const choose = (reply: QuickReply) => {
    const f = templateFields(reply.body, known);
    if (f.length === 0) return onInsert(reply.body);
    setChosen(reply);
    setValues(Object.fromEntries(f.map((x) => [x.key, x.value])));
  };

  return (
    <div className="popover quick-replies" role="dialog" aria-label="Quick replies" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {!chosen ? (
        replies.length === 0 ? (
          <p className="muted">No quick replies yet. Add them in Settings → Quick replies.</p>
        ) : (
          // A list of buttons (Tab and Enter pick one), not a listbox: a listbox holds options and moves by arrow keys.
          <ul role="list" aria-label="Quick replies">
            {replies.map((r) => (
              <li key={r.id}>
                <button type="button" className="menu-item" onClick={() => choose(r)} autoFocus={r === replies[0]}>
                  <strong>{r.title}</strong>
                  <span className="muted ellipsis">{r.body}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (missing.length === 0) onInsert(fillTemplate(chosen.body, values));
          }}
        >
          <strong>{chosen.title}</strong>
          {fields.map((f, i) => (
            <label key={f.key} className="field">
              <span>{f.label}</span>
              <input autoFocus={i === 0} value={values[f.key] ?? ''} required onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            </label>
          ))}
          <p className="preview">{fillTemplate(chosen.body, values)}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setChosen(null)}>
              Back
            </button>
            <button type="submit" className="primary" disabled={missing.length > 0} title={missing.length ? `Fill in: ${missing.map((m) => m.label).join(', ')}` : undefined}>
              Insert
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
