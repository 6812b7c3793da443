import { useEffect } from 'react';
import type { Api } from '../api/client';
import { StatusBar } from '../components/StatusBar';
import { useAccountStore } from '../features/account/accountStore';

/** The app layer: the only place that talks to the RPC client and subscribes to its events. */
export function App({ api }: { api: Api }) {
  const { connection, status, queue, error } = useAccountStore();

  useEffect(() => {
    const store = useAccountStore.getState();
    const refresh = () => {
      api.client.call('account.status', {}).then(store.setStatus, (e: Error) => store.setError(e.message));
      api.client.call('queue.status', {}).then(store.setQueue, (e: Error) => store.setError(e.message));
    };
    const offs = [
      api.onConnectionChange((state) => {
        store.setConnection(state);
        if (state === 'open') refresh();
      }),
      api.client.on('queue.changed', store.setQueue),
    ];
    refresh();
    return () => offs.forEach((off) => off());
  }, [api]);

  return (
    <div className="app">
      <nav className="rail" aria-label="Views">
        <div className="logo" aria-hidden="true">S</div>
      </nav>
      <section className="thread-pane" aria-label="Conversations">
        <header className="pane-header">
          <h1>Conversations</h1>
        </header>
        <ul className="thread-list" data-testid="thread-list" role="listbox" aria-label="Threads" />
      </section>
      <main className="conversation-pane" aria-label="Conversation">
        <div className="empty-state">
          {error ? (
            <p role="alert">{error}</p>
          ) : status?.mode === 'sandbox' ? (
            <p>This is a sandbox: no account and no internet needed. Pick a conversation or start a new one.</p>
          ) : (
            <p>Pick a conversation.</p>
          )}
        </div>
      </main>
      <StatusBar connection={connection} status={status} queue={queue} />
    </div>
  );
}
