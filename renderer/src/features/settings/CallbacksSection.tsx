import { useState } from 'react';
import { useAccountStore } from '../account/accountStore';

const STATE_WORDS = { off: 'Off', connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', error: 'Error' } as const;

export function CallbacksSection() {
  const status = useAccountStore((s) => s.status);
  const [copied, setCopied] = useState<string | null>(null);
  const tunnel = status?.tunnel;
  const copy = (text: string) =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('Copied.'),
      () => setCopied('Could not copy: select the address and copy it by hand.'),
    );
  return (
    <section aria-labelledby="callbacks-heading">
      <h2 id="callbacks-heading">Callbacks and tunnel</h2>
      <p className="muted">Bandwidth reports deliveries and inbound messages to a callback URL. A tunnel makes the local listener reachable from the internet.</p>
      <dl className="facts">
        <dt>Local listener</dt>
        <dd data-testid="callback-url">{status?.callbackUrl ?? 'Not listening'}</dd>
        <dt>Tunnel</dt>
        <dd data-state={tunnel?.state}>
          <span className={`dot dot-tunnel-${tunnel?.state ?? 'off'}`} aria-hidden="true" /> {STATE_WORDS[tunnel?.state ?? 'off']}
          {tunnel?.error && <span className="danger"> — {tunnel.error}</span>}
        </dd>
        <dt>Public URL</dt>
        <dd>
          {tunnel?.publicUrl ? (
            <>
              <code data-testid="public-url">{tunnel.publicUrl}</code>{' '}
              <button type="button" onClick={() => void copy(tunnel.publicUrl!)} data-testid="copy-public-url">
                Copy
              </button>
            </>
          ) : (
            <span className="muted">{status?.mode === 'sandbox' ? 'Not needed in the Sandbox: the simulator calls the local listener directly.' : 'None yet.'}</span>
          )}
        </dd>
      </dl>
      {copied && (
        <p className="feedback ok" role="status">
          {copied}
        </p>
      )}
    </section>
  );
}
