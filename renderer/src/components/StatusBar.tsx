import type { AccountStatus, QueueStatus } from '../../../shared/ipc/schemas';
import type { ConnectionState } from '../api/client';

interface Props {
  connection: ConnectionState;
  status: AccountStatus | null;
  queue: QueueStatus | null;
}

const CONNECTION_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', open: 'Connected', closed: 'Disconnected' };

export function StatusBar({ connection, status, queue }: Props) {
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status">{CONNECTION_LABEL[connection]}</span>
      {status && (
        <>
          <span className="sep" aria-hidden="true">·</span>
          <span data-testid="account-mode">{status.mode === 'sandbox' ? 'Sandbox' : `Account ${status.accountId}`}</span>
          <span className="sep" aria-hidden="true">·</span>
          <span data-testid="tunnel-status">Tunnel: {status.tunnel.state}</span>
        </>
      )}
      <span className="grow" />
      {queue && (
        <span data-testid="queue-status">{queue.depth === 0 ? 'Queue empty' : `${queue.depth} queued`}</span>
      )}
      {status && <span className="muted">v{status.version}</span>}
    </footer>
  );
}
