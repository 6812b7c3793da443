import type { ConnectionState } from '../../api/client';

/**
 * Says plainly that the window is not talking to Switchboard, and what that means for the agent's work. The
 * transport retries on its own while the same run comes back; a restarted run needs the window reloaded.
 */
export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  if (connection === 'closed') {
    return (
      <div className="banner warn-banner" role="alert" data-testid="connection-banner" data-state="closed">
        <strong>Not connected to Switchboard — reconnecting…</strong>
        <span>Messages you send meanwhile wait and go when it is back; drafts are kept.</span>
      </div>
    );
  }
  if (connection === 'restarted') {
    return (
      <div className="banner warn-banner" role="alert" data-testid="connection-banner" data-state="restarted">
        <strong>Switchboard restarted.</strong>
        <span>Reload this window to connect to it; your drafts are kept. If it still cannot connect, open the address Switchboard printed when it started.</span>
        <button type="button" className="primary" onClick={() => location.reload()} data-testid="reload">
          Reload
        </button>
      </div>
    );
  }
  return null;
}
