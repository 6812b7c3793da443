import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { createClient, type RpcClient } from '../../shared/ipc/client';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { nextEvent } from './coreHarness';
import type { ClientTransport, EventEnvelope, ResponseEnvelope } from '../../shared/ipc/envelope';

const root = join(import.meta.dirname, '../..');

/** `npm run sandbox -- --json`'s ready line. */
export interface SandboxReady {
  baseUrl: string;
  tokenUrl: string;
  dashboardUrl: string;
  controlUrl: string;
  accountId: string;
  applicationId: string;
  clientId: string;
  clientSecret: string;
  numbers: string[];
}

/** Browser mode's (`npm run web -- --json`) ready line. */
export interface AppReady {
  url: string;
  rpc: string;
  callbackUrl: string | null;
  dataDir: string;
}

/** A child process started by a test, with its ready line and what it wrote to stderr (for failure messages). */
export class Child<R> {
  readonly exited: Promise<number | null>;
  private err = '';
  private constructor(
    readonly process: ChildProcess,
    readonly ready: R,
  ) {
    this.exited = process.exitCode !== null ? Promise.resolve(process.exitCode) : new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  get stderr(): string {
    return this.err;
  }

  /**
   * Runs `<script> --json ...args` under Node with tsx's loader and resolves once it prints its one JSON ready
   * line. Node itself, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL would orphan.
   */
  static async start<R>(script: string, args: string[]): Promise<Child<R>> {
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--json', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code, signal) => reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${stderr}`)));
    });
    const started = new Child<R>(child, JSON.parse(line) as R);
    started.err = stderr;
    child.stderr.on('data', (chunk: Buffer) => (started.err += chunk.toString()));
    child.stdout.resume();
    return started;
  }

  /** Sends a signal and waits for the exit; SIGKILL is the crash the tests simulate. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
    return this.exited;
  }
}

const running = new Set<ChildProcess>();
const connections = new Set<WebSocket>();

/** Kills every child still running and drops every RPC connection (afterAll), so a failing test leaves nothing behind. */
export async function killAll(): Promise<void> {
  for (const ws of connections) ws.terminate();
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** The simulator as its own process, as Bandwidth outlives the app. */
export const startSandboxProcess = (args: string[] = []) => Child.start<SandboxReady>('electron/main/sandbox/cli.ts', ['--no-personas', ...args]);

/** Browser mode as a user starts it; `--port 0` and `--data-dir` always. */
export const startBrowserMode = (dataDir: string, args: string[] = []) =>
  Child.start<AppReady>('electron/main/host/cli.ts', ['--port', '0', '--data-dir', dataDir, ...args]);

export interface RpcConnection {
  client: RpcClient;
  /** Resolves with the first event payload that matches. */
  next<E extends EventName>(event: E, match?: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>>;
  close(): void;
}

/** The typed client over browser mode's WebSocket, with the Origin its page would send. */
export async function connectRpc(ready: AppReady): Promise<RpcConnection> {
  const ws = new WebSocket(ready.rpc, { origin: new URL(ready.url).origin });
  connections.add(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, { resolve: (r: ResponseEnvelope) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: EventEnvelope) => void>();
  ws.on('message', (data) => {
    // Events come in batches (a JSON array, one frame per turn of the core's event loop); anything else is an answer.
    const envelope = JSON.parse(String(data)) as ResponseEnvelope | EventEnvelope[];
    if (Array.isArray(envelope)) for (const event of envelope) for (const listener of listeners) listener(event);
    else {
      pending.get(envelope.id)?.resolve(envelope);
      pending.delete(envelope.id);
    }
  });
  ws.on('close', () => {
    connections.delete(ws);
    for (const { reject } of pending.values()) reject(new Error('the RPC connection closed'));
    pending.clear();
  });
  ws.on('error', () => {});
  const transport: ClientTransport = {
    request: (envelope) =>
      new Promise((resolve, reject) => {
        if (ws.readyState !== WebSocket.OPEN) return reject(new Error('the RPC connection is closed'));
        pending.set(envelope.id, { resolve, reject });
        ws.send(JSON.stringify(envelope));
      }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const client = createClient(transport);
  return {
    client,
    next: (event, match, timeoutMs) => nextEvent(client, event, match, timeoutMs),
    close: () => ws.terminate(),
  };
}
