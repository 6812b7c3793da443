import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useFocusReturn } from '../ui/useFocusReturn';
import { AccountSection } from './AccountSection';
import { AppearanceSection } from './AppearanceSection';
import { CallbacksSection } from './CallbacksSection';
import { ContactsSection } from './ContactsSection';
import { MessagingSection } from './MessagingSection';
import { NumbersSection } from './NumbersSection';
import { QuickRepliesSection } from './QuickRepliesSection';
import { useSettingsStore, type SettingsSection } from './settingsStore';

const SECTIONS: [SettingsSection, string][] = [
  ['account', 'Account'],
  ['numbers', 'Numbers'],
  ['callbacks', 'Callbacks and tunnel'],
  ['messaging', 'Messaging'],
  ['quick-replies', 'Quick replies'],
  ['contacts', 'Contacts'],
  ['appearance', 'Appearance'],
];

export function SettingsPage() {
  const { section, settings, settingsError } = useSettingsStore(useShallow((s) => ({ section: s.section, settings: s.settings, settingsError: s.errors.settings })));
  const needsSettings = section === 'messaging' || section === 'quick-replies';
  // Settings take the conversation's place like an overlay: focus goes to the sections, and back on Escape (useShortcuts).
  const ref = useRef<HTMLDivElement>(null);
  useFocusReturn(ref);
  return (
    <div ref={ref} className="settings" data-testid="settings">
      {/* The page is the container its layout queries (styles.css): its width, not the window's, decides. */}
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          <h1>Settings</h1>
          <ul role="list">
            {SECTIONS.map(([id, label]) => (
              <li key={id}>
                <button type="button" className={section === id ? 'active' : ''} aria-current={section === id ? 'page' : undefined} onClick={() => useSettingsStore.getState().setSection(id)}>
                  {label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-body">
          {section === 'account' && <AccountSection />}
          {section === 'numbers' && <NumbersSection />}
          {section === 'callbacks' && <CallbacksSection />}
          {needsSettings && !settings && (
            <p className="pane-error" role="alert">
              Settings are not available yet{settingsError ? `: ${settingsError}` : '.'}
            </p>
          )}
          {section === 'messaging' && settings && <MessagingSection settings={settings} />}
          {section === 'quick-replies' && settings && <QuickRepliesSection replies={settings.quickReplies} />}
          {section === 'contacts' && <ContactsSection />}
          {section === 'appearance' && <AppearanceSection />}
        </div>
      </div>
    </div>
  );
}
