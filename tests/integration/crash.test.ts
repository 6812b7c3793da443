import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRpc, killAll, startBrowserMode, startSandboxProcess, type Child, type AppReady, type RpcConnection, type SandboxReady } from '../support/processes';
import { sandboxAccount } from '../support/sandboxAccount';
import { seeded, sleep } from '../support/seeded';

const FROM = '+19195550103';
const CUSTOMERS = ['+19845550161', '+19845550162', '+19845550163'];
const COUNT = 500;
const CALLBACK = { user: 'crash-test', password: 'crash-test-password' };

/** One FTS token per message, so a search finds exactly it. */
const token = (i: number) => `crashmsg${String(i).padStart(4, '0')}`;
const textOf = (i: number) => `${token(i)} survives a crash`;

describe('crash safety: SIGKILL at random moments while 500 messages drain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
  const dataDir = join(dir, 'data');
  afterAll(async () => {
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after restarts, the sandbox received every message exactly once and the app recorded each as accepted', { timeout: 90_000 }, async () => {
    const random = seeded(20261126);
    // Bandwidth's side drains fast too, so callbacks flow (and hit a dead app) while the test kills it.
    const sandbox: Child<SandboxReady> = await startSandboxProcess(['--seed', '11', '--class-rate', '10dlc=200']);
    const { file: accountFile, bandwidth } = sandboxAccount(sandbox.ready, dir, FROM);

    let app: Child<AppReady>;
    let rpc: RpcConnection;
    const boot = async () => {
      app = await startBrowserMode(dataDir, ['--account', accountFile, '--no-tunnel', '--callback-port', '0', '--callback-user', CALLBACK.user, '--callback-password', CALLBACK.password]);
      // Each run listens on a new port; without a tunnel the app leaves the application alone, as a user's own URL would.
      const creds = { userId: CALLBACK.user, password: CALLBACK.password };
      await bandwidth.dashboard.patchApplication({ inboundCallbackUrl: app.ready.callbackUrl!, outboundCallbackUrl: app.ready.callbackUrl!, inboundCallbackCreds: creds, outboundCallbackCreds: creds });
      rpc = await connectRpc(app.ready);
    };
    /** What each kill left behind: queue rows, and those whose request may have been at Bandwidth. */
    const leftBehind: { depth: number; inFlight: number }[] = [];
    const crash = async () => {
      rpc.close();
      expect(await app.kill('SIGKILL')).toBeNull();
      const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
      leftBehind.push(db.prepare("SELECT count(*) AS depth, coalesce(sum(state = 'in-flight'), 0) AS inFlight FROM queue").get() as { depth: number; inFlight: number });
      db.close();
      await boot();
    };

    try {
      await boot();
      // Every send at once; the first kill lands while many of these requests are still unanswered.
      const answered = new Set<number>();
      const killAfter = 100 + Math.floor(random() * 200);
      let firstKill: Promise<void> | null = null;
      const firstAttempts = Array.from({ length: COUNT }, (_, i) =>
        rpc.client.call('messages.send', { from: FROM, to: [CUSTOMERS[i % CUSTOMERS.length]!], text: textOf(i) }).then(() => {
          answered.add(i);
          if (answered.size === killAfter) firstKill = crash();
        }),
      );
      await Promise.allSettled(firstAttempts);
      expect(firstKill).not.toBeNull();
      await firstKill;
      expect(answered.size).toBeLessThan(COUNT);

      // A send whose answer was lost may or may not have been written: look before sending again, as the agent would.
      for (let i = 0; i < COUNT; i += 1) {
        if (answered.has(i)) continue;
        const { results } = await rpc!.client.call('search.query', { query: token(i), direction: 'out' });
        if (results.length === 0) await rpc!.client.call('messages.send', { from: FROM, to: [CUSTOMERS[i % CUSTOMERS.length]!], text: textOf(i) });
      }

      // More kills while the queue drains, each at a random moment after the restart.
      for (let kill = 0; kill < 4; kill += 1) {
        await sleep(50 + Math.floor(random() * 600));
        if ((await rpc!.client.call('queue.status', {})).depth === 0) break;
        await crash();
      }

      // Several kills hit a draining queue, and at least one cut requests off mid-flight (the case settlement exists for).
      expect(leftBehind.length, JSON.stringify(leftBehind)).toBeGreaterThan(1);
      expect(leftBehind.some((k) => k.inFlight > 0), JSON.stringify(leftBehind)).toBe(true);

      for (;;) {
        const status = await rpc!.client.call('queue.status', {});
        if (status.depth === 0) break;
        await sleep(250);
      }

      const sent = (await fetch(`${sandbox.ready.controlUrl}/messages`).then((r) => r.json())) as { messages: { id: string; text: string }[] };
      const byText = new Map<string, string[]>();
      for (const m of sent.messages) byText.set(m.text, [...(byText.get(m.text) ?? []), m.id]);
      const wrong = Array.from({ length: COUNT }, (_, i) => textOf(i)).filter((t) => byText.get(t)?.length !== 1);
      expect(wrong.map((t) => `${t}: ${byText.get(t)?.length ?? 0}`)).toEqual([]);
      expect(sent.messages).toHaveLength(COUNT);

      await app!.kill('SIGTERM');
      const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
      const rows = db.prepare("SELECT text, bandwidth_id AS bandwidthId, status FROM messages WHERE direction = 'out'").all() as { text: string; bandwidthId: string | null; status: string }[];
      db.close();
      expect(rows).toHaveLength(COUNT);
      // Each message carries the id Bandwidth gave that very text (a crash settlement never mixes two up).
      const mismatched = rows.filter((r) => r.bandwidthId === null || byText.get(r.text)?.[0] !== r.bandwidthId);
      expect(mismatched).toEqual([]);
      expect(rows.filter((r) => !['accepted', 'sent', 'no-receipt', 'delivered'].includes(r.status))).toEqual([]);
    } finally {
      await bandwidth.close();
    }
  });
});
