import type { TunnelState } from '../../../../shared/ipc/schemas';
import type { Clock, Logger } from '../platform/ports';
import type { Tunnel, TunnelSession } from './tunnel';

export interface TunnelSupervisorOptions {
  tunnel: Tunnel;
  clock: Clock;
  logger: Logger;
  /** Every state change (consecutive duplicates are not repeated). */
  onState?: (state: TunnelState) => void;
  /**
   * Called when the tunnel comes online at a URL other than the last one handed here (so also on the first
   * time in a run); in Live mode the core updates the application's callback URLs. If it rejects, the
   * same URL is handed again the next time the tunnel comes online.
   */
  onPublicUrlChanged?: (url: string) => void | Promise<void>;
  /** Back-off between attempts: base · 2^n, capped at max, each with jitter into [delay/2, delay]. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** For the jitter; injectable so tests know the delays. */
  random?: () => number;
}

export interface TunnelSupervisor {
  readonly state: TunnelState;
  /** Connects, and keeps reconnecting until stop(). No-op while running. */
  start(): void;
  /** Closes the session, cancels any attempt and timer, reports 'off'. Safe to call twice. */
  stop(): void;
}

const OFF: TunnelState = { state: 'off', publicUrl: null, error: null };

export function createTunnelSupervisor(options: TunnelSupervisorOptions): TunnelSupervisor {
  const { tunnel, clock, logger } = options;
  const baseMs = options.backoffBaseMs ?? 2_000;
  const maxMs = options.backoffMaxMs ?? 60_000;
  const random = options.random ?? Math.random;

  let state = OFF;
  /** Everything belonging to the current run; replaced on stop() so late results of a stopped run are dropped. */
  let run: { abort: AbortController; session?: TunnelSession; timer?: { cancel(): void } } | undefined;
  let failures = 0;
  let wasOnline = false;
  let announcedUrl: string | null = null;

  const set = (next: TunnelState) => {
    if (next.state === state.state && next.publicUrl === state.publicUrl && next.error === state.error) return;
    state = next;
    options.onState?.(next);
  };

  const announce = (url: string) => {
    if (url === announcedUrl) return;
    announcedUrl = url;
    const forget = (error: unknown) => {
      logger.warn('tunnel: public URL hook failed', { url, error: error instanceof Error ? error.message : String(error) });
      if (announcedUrl === url) announcedUrl = null;
    };
    try {
      Promise.resolve(options.onPublicUrlChanged?.(url)).catch(forget);
    } catch (error) {
      forget(error);
    }
  };

  const retry = (current: NonNullable<typeof run>) => {
    const delay = Math.min(maxMs, baseMs * 2 ** failures);
    failures += 1;
    current.timer = clock.setTimeout(() => attempt(current), delay / 2 + (random() * delay) / 2);
  };

  const attempt = (current: NonNullable<typeof run>) => {
    current.timer = undefined;
    set({ state: wasOnline ? 'reconnecting' : 'connecting', publicUrl: null, error: state.error });
    tunnel.open(current.abort.signal).then(
      (session) => {
        if (run !== current) return session.close();
        current.session = session;
        failures = 0;
        wasOnline = true;
        session.onDown((error) => {
          if (run !== current || current.session !== session) return;
          current.session = undefined;
          logger.warn('tunnel: dropped', { error: error.message });
          set({ state: 'reconnecting', publicUrl: null, error: `Tunnel dropped: ${error.message}` });
          retry(current);
        });
        logger.info('tunnel: online', { url: session.publicUrl });
        set({ state: 'online', publicUrl: session.publicUrl, error: null });
        announce(session.publicUrl);
      },
      (error: Error) => {
        if (run !== current) return;
        logger.warn('tunnel: connection failed', { error: error.message });
        set({ state: 'error', publicUrl: null, error: error.message });
        retry(current);
      },
    );
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (run) return;
      run = { abort: new AbortController() };
      failures = 0;
      wasOnline = false;
      attempt(run);
    },
    stop() {
      if (!run) return;
      const current = run;
      run = undefined;
      current.timer?.cancel();
      current.abort.abort();
      current.session?.close();
      set(OFF);
    },
  };
}
