import { useSettingsStore, type SettingsSection } from './settingsStore';

/** The outcome of the last action in a section, announced to screen readers. */
export function Feedback({ section }: { section: SettingsSection }) {
  const feedback = useSettingsStore((s) => s.feedback);
  if (!feedback || feedback.section !== section) return null;
  return (
    <p className={`feedback ${feedback.ok ? 'ok' : 'danger'}`} role={feedback.ok ? 'status' : 'alert'} data-testid="settings-feedback">
      {feedback.text}
    </p>
  );
}
