import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../../shared/ipc/schemas';
import { FakeClock } from '../../../../tests/support/fakeClock';
import type { Logger } from '../platform/ports';
import { createTunnelSupervisor } from './supervisor';
import type { TunnelSupervisorOptions } from './supervisor';
import type { Tunnel, TunnelSession } from './tunnel';

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A Tunnel port whose attempts the test settles by hand. */
class ScriptedTunnel implements Tunnel {
  readonly attempts: { signal: AbortSignal; succeed(url: string): ScriptedSession; fail(message: string): void }[] = [];
  open(signal?: AbortSignal): Promise<TunnelSession> {
    return new Promise((resolve, reject) => {
      this.attempts.push({
        signal: signal ?? new AbortController().signal,
        succeed: (url) => {
          const session = new ScriptedSession(url);
          resolve(session);
          return session;
        },
        fail: (message) => reject(new Error(message)),
      });
    });
  }
  get last() {
    const attempt = this.attempts.at(-1);
    if (!attempt) throw new Error('no attempt yet');
    return attempt;
  }
}

class ScriptedSession implements TunnelSession {
  closed = false;
  private listener: ((error: Error) => void) | undefined;
  constructor(readonly publicUrl: string) {}
  onDown(listener: (error: Error) => void): void {
    this.listener = listener;
  }
  close(): void {
    this.closed = true;
  }
  drop(message: string): void {
    this.closed = true;
    this.listener?.(new Error(message));
  }
}

function setup(options: Partial<TunnelSupervisorOptions> = {}) {
  const clock = new FakeClock();
  const tunnel = new ScriptedTunnel();
  const states: TunnelState[] = [];
  const urls: string[] = [];
  const supervisor = createTunnelSupervisor({
    tunnel,
    clock,
    logger: silent,
    onState: (s) => states.push(s),
    onPublicUrlChanged: (url) => {
      urls.push(url);
    },
    backoffBaseMs: 1_000,
    backoffMaxMs: 8_000,
    random: () => 1,
    ...options,
  });
  return { clock, tunnel, states, urls, supervisor };
}

describe('createTunnelSupervisor', () => {
  it('connects, reports each state, and announces the first URL', async () => {
    const { tunnel, states, urls, supervisor } = setup();
    supervisor.start();
    supervisor.start();
    expect(tunnel.attempts).toHaveLength(1);
    tunnel.last.succeed('https://sb-1.loca.lt');
    await tick();
    expect(states).toEqual([
      { state: 'connecting', publicUrl: null, error: null },
      { state: 'online', publicUrl: 'https://sb-1.loca.lt', error: null },
    ]);
    expect(supervisor.state.state).toBe('online');
    expect(urls).toEqual(['https://sb-1.loca.lt']);
  });

  it('retries failures with exponential back-off, capped, and keeps the error visible', async () => {
    const { clock, tunnel, states, supervisor } = setup();
    supervisor.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      tunnel.last.fail('The tunnel server answered 500');
      await tick();
      delays.push(...clock.pending());
      clock.advance(clock.pending()[0] ?? 0);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(tunnel.attempts).toHaveLength(7);
    expect(states.slice(0, 3)).toEqual([
      { state: 'connecting', publicUrl: null, error: null },
      { state: 'error', publicUrl: null, error: 'The tunnel server answered 500' },
      { state: 'connecting', publicUrl: null, error: 'The tunnel server answered 500' },
    ]);
    supervisor.stop();
  });

  it('jitters each delay into its upper half', async () => {
    const { clock, tunnel, supervisor } = setup({ random: () => 0 });
    supervisor.start();
    tunnel.last.fail('down');
    await tick();
    expect(clock.pending()).toEqual([500]);
    clock.advance(499);
    expect(tunnel.attempts).toHaveLength(1);
    clock.advance(1);
    expect(tunnel.attempts).toHaveLength(2);
    supervisor.stop();
  });

  it('reconnects after a drop and announces the URL only when it changes', async () => {
    const { clock, tunnel, states, urls, supervisor } = setup();
    supervisor.start();
    let session = tunnel.last.succeed('https://a.loca.lt');
    await tick();
    for (const next of ['https://a.loca.lt', 'https://b.loca.lt', 'https://b.loca.lt', 'https://a.loca.lt']) {
      session.drop('socket closed');
      expect(supervisor.state).toEqual({ state: 'reconnecting', publicUrl: null, error: 'Tunnel dropped: socket closed' });
      clock.advance(clock.pending()[0] ?? 0);
      session = tunnel.last.succeed(next);
      await tick();
      expect(supervisor.state).toEqual({ state: 'online', publicUrl: next, error: null });
    }
    expect(urls).toEqual(['https://a.loca.lt', 'https://b.loca.lt', 'https://a.loca.lt']);
    expect(states.filter((s) => s.state === 'connecting')).toHaveLength(1);
    supervisor.stop();
  });

  it('resets the back-off once online again', async () => {
    const { clock, tunnel, supervisor } = setup();
    supervisor.start();
    tunnel.last.fail('down');
    await tick();
    clock.advance(clock.pending()[0] ?? 0);
    tunnel.last.fail('down');
    await tick();
    expect(clock.pending()).toEqual([2_000]);
    clock.advance(2_000);
    const session = tunnel.last.succeed('https://a.loca.lt');
    await tick();
    session.drop('gone');
    expect(clock.pending()).toEqual([1_000]);
    supervisor.stop();
  });

  it('hands the same URL again after the hook failed', async () => {
    const calls: string[] = [];
    const { clock, tunnel, supervisor } = setup({
      onPublicUrlChanged: async (url) => {
        calls.push(url);
        if (calls.length === 1) throw new Error('Dashboard unreachable');
      },
    });
    supervisor.start();
    const session = tunnel.last.succeed('https://a.loca.lt');
    await tick();
    session.drop('gone');
    clock.advance(clock.pending()[0] ?? 0);
    const again = tunnel.last.succeed('https://a.loca.lt');
    await tick();
    again.drop('gone');
    clock.advance(clock.pending()[0] ?? 0);
    tunnel.last.succeed('https://a.loca.lt');
    await tick();
    expect(calls).toEqual(['https://a.loca.lt', 'https://a.loca.lt']);
    supervisor.stop();
  });

  it('stop() closes the session, cancels timers and attempts, reports off once, and can start again', async () => {
    const { clock, tunnel, states, supervisor } = setup();
    supervisor.start();
    const session = tunnel.last.succeed('https://a.loca.lt');
    await tick();
    supervisor.stop();
    supervisor.stop();
    expect(session.closed).toBe(true);
    expect(states.filter((s) => s.state === 'off')).toHaveLength(1);
    expect(supervisor.state).toEqual({ state: 'off', publicUrl: null, error: null });

    supervisor.start();
    tunnel.last.fail('down');
    await tick();
    expect(clock.pending()).toHaveLength(1);
    supervisor.stop();
    expect(clock.pending()).toEqual([]);

    supervisor.start();
    const inFlight = tunnel.last;
    supervisor.stop();
    expect(inFlight.signal.aborted).toBe(true);
    const late = inFlight.succeed('https://late.loca.lt');
    await tick();
    expect(late.closed).toBe(true);
    expect(supervisor.state.state).toBe('off');
  });
});
