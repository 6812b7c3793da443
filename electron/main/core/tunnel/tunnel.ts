/**
 * The Tunnel port: makes the local callback listener reachable from the internet. One `open()` is one
 * session; the supervisor (supervisor.ts) reconnects. Implementation: localtunnel.ts.
 */
export interface Tunnel {
  /**
   * Resolves once requests can flow through the public URL. Rejects with a human-readable Error when
   * that does not happen within the implementation's timeout, or at once when `signal` aborts.
   */
  open(signal?: AbortSignal): Promise<TunnelSession>;
}

export interface TunnelSession {
  readonly publicUrl: string;
  /** Called once if the session fails after it opened (never after close()). */
  onDown(listener: (error: Error) => void): void;
  /** Closes every connection of the session; safe to call twice. */
  close(): void;
}
