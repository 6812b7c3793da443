import { useApi } from '../../api/context';
import { useUiStore, type Theme } from '../ui/uiStore';
import { useSettingsStore } from './settingsStore';

const THEMES: [Theme, string][] = [
  ['system', 'Follow the system'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

export function AppearanceSection() {
  const api = useApi();
  const theme = useUiStore((s) => s.theme);
  return (
    <section aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {THEMES.map(([value, label]) => (
          <label key={value} className={theme === value ? 'active' : ''}>
            <input
              type="radio"
              name="theme"
              value={value}
              checked={theme === value}
              data-testid={`theme-${value}`}
              onChange={() => {
                useUiStore.getState().setTheme(value);
                if (useSettingsStore.getState().settings) void useSettingsStore.getState().update(api.client, { theme: value }, 'appearance');
              }}
            />
            {label}
          </label>
        ))}
      </div>
    </section>
  );
}
