import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RpcClient } from '../../shared/ipc/client';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type { Message } from '../../shared/ipc/schemas';
import { createInMemoryTransport } from '../../shared/ipc/inMemoryTransport';
import { parseAccountConfig } from '../../electron/main/core/bandwidth/account';
import { createCore, type Core, type CoreOptions } from '../../electron/main/core/createCore';
import { createKeyFileEncryptor, systemClock } from '../../electron/main/core/platform/node';
import type { Logger } from '../../electron/main/core/platform/ports';
import { embeddedSandbox } from '../../electron/main/sandbox/embedded';
import type { SandboxOptions } from '../../electron/main/sandbox/index';

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

/** Resolves with the first payload of `event` on `client` that matches. */
export function nextEvent<E extends EventName>(client: RpcClient, event: E, match: (payload: EventPayload<E>) => boolean = () => true, timeoutMs = 15_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/**
 * Sandbox mode: a simulated customer texts `to` (ours first; more numbers make a group); resolves once the core
 * stored the message. For a CoreHarness or an RPC connection to a running app.
 */
export async function customerTexts(
  rpc: { client: RpcClient; next: CoreHarness['next'] },
  from: string,
  to: string | string[],
  text: string,
  images = 0,
): Promise<Message> {
  const arrived = rpc.next('message.created', ({ message }) => message.direction === 'in' && message.from === from && message.text === text);
  await rpc.client.call('sandbox.simulateInbound', { from, to: [to].flat(), text, images });
  return (await arrived).message;
}

/** A real core on a real data folder, in Sandbox mode against the real simulator, driven through the typed client. */
export class CoreHarness {
  core!: Core;
  client!: RpcClient;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'sb-core-'));
  readonly sandbox: ReturnType<typeof embeddedSandbox>;
  controlUrl = '';
  /** Set by startLive: the simulator's account given as a fixed Live account, and where the tunnel goes. */
  private live: Pick<CoreOptions, 'account' | 'tunnelHost'> | null = null;

  constructor(
    private readonly sandboxOptions: SandboxOptions = {},
    private readonly coreOptions: Partial<CoreOptions> = {},
  ) {
    this.sandbox = embeddedSandbox({ personas: false, timeScale: 0.2, ...sandboxOptions });
  }

  async start(): Promise<this> {
    const launcher = {
      start: () => this.startSandbox(),
      customers: () => this.sandbox.customers(),
      simulateInbound: (request: Parameters<typeof this.sandbox.simulateInbound>[0]) => this.sandbox.simulateInbound(request),
      // The simulator outlives core restarts, as Bandwidth outlives the app.
      stop: async () => {},
    };
    this.core = createCore({
      dataDir: this.dataDir,
      clock: systemClock,
      logger: quietLogger,
      encryptor: createKeyFileEncryptor(join(this.dataDir, 'secret.key')),
      version: 'test',
      sandbox: launcher,
      ...this.coreOptions,
      ...this.live,
      engine: { settleDelayMs: 200, retry: { baseMs: 50, maxMs: 500, random: () => 0.5 }, ...this.coreOptions.engine },
    });
    await this.core.start();
    this.client = createClient(createInMemoryTransport(this.core.rpc));
    return this;
  }

  /** Live mode (as `--account FILE` gives it) with the simulator as the customer's Bandwidth account. */
  async startLive(tunnelHost: string | false): Promise<this> {
    this.live = { account: parseAccountConfig(await this.startSandbox(), 'The test account'), tunnelHost };
    return this.start();
  }

  private async startSandbox() {
    const account = await this.sandbox.start();
    this.controlUrl = `${new URL(account.baseUrl).origin}/__sandbox`;
    return account;
  }

  async restart(): Promise<void> {
    await this.core.stop();
    await this.start();
  }

  /** Resolves with the first event payload that matches. */
  next<E extends EventName>(event: E, match?: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>> {
    return nextEvent(this.client, event, match, timeoutMs);
  }

  async control<T = unknown>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.controlUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`sandbox control ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    await this.core?.stop();
    await this.sandbox.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
