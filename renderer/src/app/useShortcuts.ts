import { useEffect } from 'react';
import type { Api } from '../api/client';
import { toggleContactPanel } from '../features/contact/togglePanel';
import { openThread } from '../features/conversation/openThread';
import { useSearchStore } from '../features/search/searchStore';
import { useThreadsStore } from '../features/threads/threadsStore';
import { useUiStore } from '../features/ui/uiStore';

/** Window-wide shortcuts (the guide lists them: components/ShortcutGuide.tsx). */
export function useShortcuts(api: Api): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const ui = useUiStore.getState();
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        useSearchStore.getState().setOpen(true);
      } else if ((mod && e.key.toLowerCase() === 'n') || (e.altKey && !mod && e.code === 'KeyN')) {
        // Alt+N too: a browser keeps Ctrl+N (a new window) for itself, so in browser mode the page never sees it.
        e.preventDefault();
        ui.openDialog('new-conversation');
      } else if (mod && e.key === '/') {
        e.preventDefault();
        ui.openDialog(ui.dialog === 'shortcuts' ? null : 'shortcuts');
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === 'i') {
        e.preventDefault();
        toggleContactPanel();
      } else if (mod && e.key === ',') {
        e.preventDefault();
        ui.showMain('settings');
      } else if (e.key === 'Escape' && ui.main === 'settings' && !e.defaultPrevented) {
        // Dialogs over the settings stop their own Escape; this one leaves the settings like closing a dialog.
        ui.showMain('conversation');
      } else if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const { threads, selectedId } = useThreadsStore.getState();
        const at = threads.findIndex((t) => t.id === selectedId);
        const next = threads[Math.min(threads.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))];
        // The list scrolls along: ThreadPane keeps the selected thread in view.
        if (next) void openThread(api.client, next.id);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [api]);
}
