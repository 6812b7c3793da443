import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RpcClient } from '../../shared/ipc/client';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { createInMemoryTransport } from '../../shared/ipc/inMemoryTransport';
import { createCore, type Core, type CoreOptions } from '../../electron/main/core/createCore';
import { createKeyFileEncryptor, systemClock } from '../../electron/main/core/platform/node';
import type { Logger } from '../../electron/main/core/platform/ports';
import { embeddedSandbox } from '../../electron/main/sandbox/embedded';
import type { SandboxOptions } from '../../electron/main/sandbox/index';

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

/** A real core on a real data folder, in Sandbox mode against the real simulator, driven through the typed client. */
export class CoreHarness {
  core!: Core;
  client!: RpcClient;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'sb-core-'));
  readonly sandbox: ReturnType<typeof embeddedSandbox>;
  controlUrl = '';

  constructor(
    private readonly sandboxOptions: SandboxOptions = {},
    private readonly coreOptions: Partial<CoreOptions> = {},
  ) {
    this.sandbox = embeddedSandbox({ personas: false, timeScale: 0.2, ...sandboxOptions });
  }

  async start(): Promise<this> {
    const sandbox = this.sandbox;
    const launcher = {
      start: async () => {
        const account = await sandbox.start();
        this.controlUrl = `${new URL(account.baseUrl).origin}/__sandbox`;
        return account;
      },
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
      engine: { settleDelayMs: 200, retry: { baseMs: 50, maxMs: 500, random: () => 0.5 } },
      ...this.coreOptions,
    });
    await this.core.start();
    this.client = createClient(createInMemoryTransport(this.core.rpc));
    return this;
  }

  async restart(): Promise<void> {
    await this.core.stop();
    await this.start();
  }

  /** Resolves with the first event payload that matches. */
  next<E extends EventName>(event: E, match: (payload: EventPayload<E>) => boolean = () => true, timeoutMs = 15_000): Promise<EventPayload<E>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.client.on(event, (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
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
