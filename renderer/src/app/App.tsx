import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Api } from '../api/client';
import { ApiContext } from '../api/context';
import { Dialog } from '../components/Dialog';
import { ShortcutGuide } from '../components/ShortcutGuide';
import { StatusBar } from '../components/StatusBar';
import { useAccountStore } from '../features/account/accountStore';
import { queueLabel } from '../features/account/queueLabel';
import { ContactPanel } from '../features/contact/ContactPanel';
import { useContactStore } from '../features/contact/contactStore';
import { ConversationPane } from '../features/conversation/ConversationPane';
import { useConversationStore } from '../features/conversation/conversationStore';
import { SearchDialog } from '../features/search/SearchDialog';
import { useSearchStore } from '../features/search/searchStore';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SimulateInboundDialog } from '../features/sandbox/SimulateInboundDialog';
import { NewConversationDialog } from '../features/threads/NewConversationDialog';
import { Rail } from '../features/threads/Rail';
import { ThreadPane } from '../features/threads/ThreadPane';
import { totalUnread, useThreadsStore } from '../features/threads/threadsStore';
import { ConnectionBanner } from '../features/ui/ConnectionBanner';
import { useUiStore } from '../features/ui/uiStore';
import { useNow } from '../features/ui/useNow';
import { useAppEvents } from './useAppEvents';
import { useShortcuts } from './useShortcuts';

/** The app layer: wires the RPC client to the feature stores and lays out the three panes. */
export function App({ api }: { api: Api }) {
  useAppEvents(api);
  useShortcuts(api);
  const { connection, status, queue, error } = useAccountStore(useShallow((s) => ({ connection: s.connection, status: s.status, queue: s.queue, error: s.error })));
  const { main, dialog, viewer, theme } = useUiStore(useShallow((s) => ({ main: s.main, dialog: s.dialog, viewer: s.viewer, theme: s.theme })));
  const searchOpen = useSearchStore((s) => s.open);
  const panelOpen = useContactStore((s) => s.open);
  const openThread = useConversationStore((s) => s.thread);
  const unread = useThreadsStore((s) => totalUnread(s.unreadById));
  const now = useNow(1000);
  // Figures from the core (queue depth, mode, tunnel) are only shown while they are current.
  const online = connection === 'open';

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Switchboard` : 'Switchboard';
  }, [unread]);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    // Browsers only ask for notification permission after a user gesture.
    const ask = () => {
      if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
    };
    window.addEventListener('pointerdown', ask, { once: true });
    return () => window.removeEventListener('pointerdown', ask);
  }, []);

  return (
    <ApiContext.Provider value={api}>
      <div className="app">
        <Rail />
        <ThreadPane />
        <main className="conversation-pane" aria-label={main === 'settings' ? 'Settings' : 'Conversation'}>
          <ConnectionBanner connection={connection} />
          {error && online && (
            <p className="banner danger" role="alert">
              {error}
            </p>
          )}
          {main === 'settings' ? <SettingsPage /> : <ConversationPane />}
        </main>
        {main === 'conversation' && panelOpen && openThread && <ContactPanel thread={openThread} />}
        <StatusBar
          connection={connection}
          status={online ? status : null}
          queue={online ? queue : null}
          queueText={online && queue ? queueLabel(queue, now) : null}
          onSimulate={() => useUiStore.getState().openDialog('simulate-inbound')}
        />
      </div>
      {dialog === 'new-conversation' && <NewConversationDialog />}
      {dialog === 'simulate-inbound' && <SimulateInboundDialog />}
      {dialog === 'shortcuts' && <ShortcutGuide onClose={() => useUiStore.getState().openDialog(null)} />}
      {searchOpen && <SearchDialog />}
      {viewer && (
        <Dialog title={viewer.name} onClose={() => useUiStore.getState().openViewer(null)} className="image-viewer">
          <img src={viewer.url} alt={viewer.name} />
          <div className="dialog-actions">
            <a className="button" href={viewer.url} download={viewer.name}>
              Download
            </a>
            <button type="button" onClick={() => useUiStore.getState().openViewer(null)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </ApiContext.Provider>
  );
}
