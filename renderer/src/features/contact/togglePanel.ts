import { useContactStore } from './contactStore';

// Where focus was when the agent opened the contact panel: closing it from inside gives it back.
let beforePanel: Element | null = null;

const panel = () => document.querySelector<HTMLElement>('[data-testid="contact-panel"]');

/**
 * Opens or closes the contact panel as the agent does (its header button, its ×, Ctrl+I). Opened, it takes the focus
 * (its first field: a name), so the agent can type a name or notes at once; closed while it had the focus, the focus
 * goes back where it was before, or to the composer when that element is gone (the thread changed meanwhile).
 */
export function toggleContactPanel(): void {
  if (useContactStore.getState().open) {
    const inside = panel()?.contains(document.activeElement) ?? false;
    useContactStore.getState().toggle();
    if (!inside) return;
    const back = beforePanel instanceof HTMLElement && beforePanel.isConnected ? beforePanel : document.querySelector<HTMLElement>('[data-testid="composer-input"]');
    back?.focus();
    return;
  }
  beforePanel = document.activeElement;
  useContactStore.getState().toggle();
  // Rendered on the next commit (and only while a conversation is open).
  requestAnimationFrame(() => panel()?.querySelector<HTMLElement>('input')?.focus());
}
