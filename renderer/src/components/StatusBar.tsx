import type { AccountStatus, QueueStatus } from '../../../shared/ipc/schemas';
import type { ConnectionState } from '../api/client';

interface Props {
  connection: ConnectionState;
  status: AccountStatus | null;
  queue: QueueStatus | null;
  queueText: string | null;
  /** Sandbox mode: opens the dialog in which a simulated customer texts us. */
  onSimulate(): void;
}

const CONNECTION_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', open: 'Connected', closed: 'Disconnected', restarted: 'Switchboard restarted' };
const TUNNEL_LABEL = { off: 'off', connecting: 'connecting…', online: 'online', reconnecting: 'reconnecting…', error: 'error' } as const;

export function StatusBar({ connection, status, queue, queueText, onSimulate }: Props) {
  const tunnel = status?.tunnel;
  return (
    // The window's footer landmark (contentinfo), not role="status": that role took the landmark away, and made every change
    // (the queue's estimate, each second) re-read the whole bar. Polite and not atomic, only what changed is read.
    <footer className="status-bar" aria-live="polite">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status">{CONNECTION_LABEL[connection]}</span>
      {status && (
        <>
          <span className="sep" aria-hidden="true">·</span>
          <span className="status-shrink status-mode" data-testid="account-mode">{status.mode === 'sandbox' ? 'Sandbox' : `Account ${status.accountId}`}</span>
          {status.mode === 'sandbox' && <span className="sep" aria-hidden="true">·</span>}
          {status.mode === 'sandbox' && (
            // Narrow windows keep the first word (styles.css), and the bar's one line.
            <button type="button" className="link-button" onClick={onSimulate} data-testid="simulate-inbound" aria-label="Simulate a customer text" title="Simulate a customer text">
              Simulate<span className="status-wide"> a customer text</span>
            </button>
          )}
          {status.connection !== 'online' && <span className="danger">Bandwidth {status.connection}</span>}
          <span className="sep" aria-hidden="true">·</span>
          <span data-testid="tunnel-status" data-state={tunnel?.state} title={tunnel?.error ?? tunnel?.publicUrl ?? undefined}>
            Tunnel {tunnel ? TUNNEL_LABEL[tunnel.state] : 'off'}
          </span>
        </>
      )}
      <span className="grow" />
      {queue && (
        <span className="status-shrink" data-testid="queue-status" title={queueText ?? undefined}>
          {queueText}
        </span>
      )}
      {status && <span className="muted status-version">v{status.version}</span>}
    </footer>
  );
}
