import { useEffect } from 'react';
import { formatPhone } from '../../../shared/domain/phone';
import type { AppCommand } from '../../../shared/ipc/contract';
import type { Message } from '../../../shared/ipc/schemas';
import type { Api } from '../api/client';
import { useAccountStore } from '../features/account/accountStore';
import { useComposerStore } from '../features/composer/composerStore';
import { useContactStore } from '../features/contact/contactStore';
import { useConversationStore } from '../features/conversation/conversationStore';
import { openThread } from '../features/conversation/openThread';
import { useSearchStore } from '../features/search/searchStore';
import { useSettingsStore } from '../features/settings/settingsStore';
import { useThreadsStore } from '../features/threads/threadsStore';
import { useUiStore } from '../features/ui/uiStore';

const inElectron = () => Boolean((window as unknown as { switchboard?: unknown }).switchboard);

/** Browser mode only: Electron's shell shows native notifications itself. */
async function notify(api: Api, message: Message) {
  if (inElectron() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.hasFocus() || useSettingsStore.getState().settings?.notifications === false) return;
  // A new customer's first message comes before its thread reaches the list: ask for the thread (and the name).
  const thread =
    useThreadsStore.getState().threads.find((t) => t.id === message.threadId) ??
    (await api.client.call('threads.get', { threadId: message.threadId }).then(
      (r) => r.thread,
      () => null,
    ));
  const who = thread?.names[message.from] ?? formatPhone(message.from);
  const n = new Notification(who, { body: message.text || 'Sent an attachment', tag: message.threadId });
  n.onclick = () => {
    window.focus();
    void openThread(api.client, message.threadId);
  };
}

function runCommand(api: Api, command: AppCommand) {
  switch (command.command) {
    case 'open-thread':
      return void openThread(api.client, command.threadId);
    case 'new-conversation':
      return useUiStore.getState().openDialog('new-conversation', { to: command.to, text: command.text });
    case 'focus-search':
      return useSearchStore.getState().setOpen(true);
    case 'show-shortcuts':
      return useUiStore.getState().openDialog('shortcuts');
    case 'open-settings':
      return useUiStore.getState().showMain('settings');
  }
}

/** The app layer's one subscription point: RPC events and connection changes feed the feature stores. */
export function useAppEvents(api: Api): void {
  useEffect(() => {
    const account = useAccountStore.getState();
    // Messages kept from before a reload go once connected, whichever screen is open.
    useComposerStore.getState().setClient(api.client);
    const refresh = () => {
      api.client.call('account.status', {}).then(account.setStatus, (e: Error) => account.setError(e.message));
      api.client.call('queue.status', {}).then(account.setQueue, () => {});
      void useThreadsStore.getState().load(api.client);
      void useThreadsStore.getState().loadUnread(api.client);
      void useSettingsStore
        .getState()
        .load(api.client)
        .then(() => {
          const theme = useSettingsStore.getState().settings?.theme;
          if (theme) useUiStore.getState().setTheme(theme);
        });
      // After a reconnect the open thread may have moved on.
      const open = useConversationStore.getState().threadId;
      if (open) void useConversationStore.getState().open(api.client, open);
    };
    const onMessage = (message: Message, created: boolean) => {
      useConversationStore.getState().upsert(message);
      if (created && message.direction === 'in') void notify(api, message);
    };
    // The contact panel's gallery shows ready files only: a message created or updated with one may add to it.
    const onMedia = (message: Message) => {
      if (message.attachments.some((a) => a.state === 'ready')) void useContactStore.getState().mediaChanged(api.client, message.threadId);
    };
    const offs = [
      api.onConnectionChange((state) => {
        account.setConnection(state);
        if (state === 'open') refresh();
      }),
      api.client.on('message.created', ({ message }) => {
        onMessage(message, true);
        onMedia(message);
      }),
      api.client.on('message.statusChanged', ({ message }) => onMessage(message, false)),
      api.client.on('message.updated', ({ message }) => {
        onMessage(message, false);
        onMedia(message);
      }),
      api.client.on('message.deleted', ({ messageId }) => useConversationStore.getState().remove(messageId)),
      api.client.on('thread.updated', ({ thread }) => {
        useThreadsStore.getState().upsert(thread);
        useConversationStore.getState().setThread(thread);
        if (!thread.optedOut) useComposerStore.getState().optedIn(thread.id);
        // A message arriving in the thread the agent is looking at is read.
        const open = useConversationStore.getState().threadId === thread.id && useUiStore.getState().main === 'conversation';
        if (open && thread.unread > 0 && document.hasFocus()) {
          api.client.call('threads.markRead', { threadId: thread.id }).then(({ thread: t }) => useThreadsStore.getState().upsert(t), () => {});
        }
      }),
      api.client.on('tunnel.stateChanged', account.setTunnel),
      api.client.on('queue.changed', account.setQueue),
      api.client.on('account.changed', account.setStatus),
      api.client.on('settings.changed', (settings) => {
        useSettingsStore.getState().setSettings(settings);
        useUiStore.getState().setTheme(settings.theme);
      }),
      api.onAppCommand((command) => runCommand(api, command)),
    ];
    return () => offs.forEach((off) => off());
  }, [api]);
}
