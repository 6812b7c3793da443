import { Dialog } from './Dialog';

export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Ctrl+K', 'Search all messages'],
  ['Ctrl+N (Alt+N in a browser)', 'New conversation'],
  ['Ctrl+/', 'This shortcut guide'],
  ['Ctrl+,', 'Settings'],
  ['Ctrl+I', 'Contact details panel'],
  ['Alt+↑ / Alt+↓', 'Previous / next conversation'],
  ['↑ / ↓ in the list', 'Move between conversations'],
  ['Enter in the list', 'Into the conversation (its composer)'],
  ['Enter', 'Send'],
  ['Shift+Enter', 'New line'],
  ['Esc', 'Close a dialog, or the contact panel over the conversation'],
];

export function ShortcutGuide({ onClose }: { onClose(): void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="shortcuts" testId="shortcut-guide">
      <h2>Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
