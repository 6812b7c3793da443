import { create } from 'zustand';

export type Dialog = 'new-conversation' | 'shortcuts' | 'simulate-inbound' | null;
export type Theme = 'system' | 'light' | 'dark';

const THEME_KEY = 'switchboard.theme';
// Kept locally too, so the first paint after a reload already has the right colours.
const savedTheme = (): Theme => {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
};

interface UiState {
  main: 'conversation' | 'settings';
  dialog: Dialog;
  /** The image open in the viewer. */
  viewer: { url: string; name: string } | null;
  /** Prefill for the new-conversation dialog (sms: links). */
  newConversation: { to: string[]; text: string } | null;
  theme: Theme;
  setTheme(theme: Theme): void;
  showMain(main: 'conversation' | 'settings'): void;
  openDialog(dialog: Dialog, prefill?: { to: string[]; text: string }): void;
  openViewer(viewer: { url: string; name: string } | null): void;
}

export const useUiStore = create<UiState>()((set) => ({
  main: 'conversation',
  dialog: null,
  viewer: null,
  newConversation: null,
  theme: savedTheme(),
  setTheme: (theme) => {
    if (typeof localStorage !== 'undefined') localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  showMain: (main) => set({ main }),
  openDialog: (dialog, prefill) => set({ dialog, newConversation: prefill ?? null }),
  openViewer: (viewer) => set({ viewer }),
}));
