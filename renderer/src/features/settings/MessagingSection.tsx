import { useState } from 'react';
import type { Settings } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Feedback } from './Feedback';
import { useSettingsStore } from './settingsStore';

type Editable = Pick<Settings, 'quietHours' | 'autoReplies' | 'notifications' | 'noReceiptAfterMs'>;

export function MessagingSection({ settings }: { settings: Settings }) {
  const api = useApi();
  const busy = useSettingsStore((s) => s.busy);
  const [form, setForm] = useState<Editable>({
    quietHours: settings.quietHours,
    autoReplies: settings.autoReplies,
    notifications: settings.notifications,
    noReceiptAfterMs: settings.noReceiptAfterMs,
  });
  const quiet = (patch: Partial<Settings['quietHours']>) => setForm({ ...form, quietHours: { ...form.quietHours, ...patch } });
  const auto = (patch: Partial<Settings['autoReplies']>) => setForm({ ...form, autoReplies: { ...form.autoReplies, ...patch } });
  return (
    <section aria-labelledby="messaging-heading">
      <h2 id="messaging-heading">Messaging</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void useSettingsStore.getState().update(api.client, form, 'messaging');
        }}
      >
        <fieldset>
          <legend>Quiet hours</legend>
          <label className="check">
            <input type="checkbox" checked={form.quietHours.enabled} onChange={(e) => quiet({ enabled: e.target.checked })} /> Hold non-urgent messages outside these hours, in the
            recipient's local time
          </label>
          <div className="inline-fields">
            <label className="field">
              <span>From</span>
              <input type="time" value={form.quietHours.start} onChange={(e) => quiet({ start: e.target.value })} disabled={!form.quietHours.enabled} />
            </label>
            <label className="field">
              <span>Until</span>
              <input type="time" value={form.quietHours.end} onChange={(e) => quiet({ end: e.target.value })} disabled={!form.quietHours.enabled} />
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Automatic replies</legend>
          <label className="check">
            <input type="checkbox" checked={form.autoReplies.enabled} onChange={(e) => auto({ enabled: e.target.checked })} /> Answer STOP, START and HELP automatically
          </label>
          {(['stop', 'start', 'help'] as const).map((k) => (
            <label key={k} className="field">
              <span>Reply to {k.toUpperCase()}</span>
              <textarea rows={2} value={form.autoReplies[k]} onChange={(e) => auto({ [k]: e.target.value })} disabled={!form.autoReplies.enabled} />
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Receipts and notifications</legend>
          <label className="field">
            <span>Mark "no receipt" after (minutes)</span>
            <input
              type="number"
              min="1"
              value={Math.round(form.noReceiptAfterMs / 60_000)}
              onChange={(e) => setForm({ ...form, noReceiptAfterMs: Math.max(1, Number(e.target.value)) * 60_000 })}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.notifications} onChange={(e) => setForm({ ...form, notifications: e.target.checked })} /> Notify me of new messages when
            Switchboard is in the background
          </label>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
      <Feedback section="messaging" />
    </section>
  );
}
