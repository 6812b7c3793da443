import { useState } from 'react';
import type { Settings } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { Feedback } from './Feedback';
import { useSettingsStore } from './settingsStore';
import { noReceiptMinutes } from './validation';

type Editable = Pick<Settings, 'quietHours' | 'autoReplies' | 'notifications'>;

export function MessagingSection({ settings }: { settings: Settings }) {
  const api = useApi();
  const busy = useSettingsStore((s) => s.busy);
  const [form, setForm] = useState<Editable>({
    quietHours: settings.quietHours,
    autoReplies: settings.autoReplies,
    notifications: settings.notifications,
  });
  // As typed, so an empty or wrong value stays on screen with its error instead of turning into another number.
  const [noReceipt, setNoReceipt] = useState(String(Math.round(settings.noReceiptAfterMs / 60_000)));
  const [noReceiptError, setNoReceiptError] = useState<string | null>(null);
  const quiet = (patch: Partial<Settings['quietHours']>) => setForm({ ...form, quietHours: { ...form.quietHours, ...patch } });
  const auto = (patch: Partial<Settings['autoReplies']>) => setForm({ ...form, autoReplies: { ...form.autoReplies, ...patch } });
  return (
    <section aria-labelledby="messaging-heading">
      <h2 id="messaging-heading">Messaging</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const delay = noReceiptMinutes(noReceipt);
          setNoReceiptError('error' in delay ? delay.error : null);
          // Nothing is saved while a field is wrong, and an earlier "Saved." must not seem to say otherwise.
          if ('error' in delay) useSettingsStore.setState({ feedback: null });
          else void useSettingsStore.getState().update(api.client, { ...form, noReceiptAfterMs: delay.ms }, 'messaging');
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
              value={noReceipt}
              onChange={(e) => {
                setNoReceipt(e.target.value);
                // Once the error shows, it follows the typing, so it goes as soon as the value is right.
                if (noReceiptError) {
                  const delay = noReceiptMinutes(e.target.value);
                  setNoReceiptError('error' in delay ? delay.error : null);
                }
              }}
              aria-invalid={noReceiptError !== null}
              aria-describedby={noReceiptError ? 'no-receipt-error' : undefined}
              data-testid="no-receipt-minutes"
            />
          </label>
          {noReceiptError && (
            <p id="no-receipt-error" className="field-help danger" role="alert">
              {noReceiptError}
            </p>
          )}
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
