import type { AccountStatus } from '../../../shared/ipc/schemas';
import type { Clock, Encryptor, Logger } from './platform/ports';
import type { Handlers, RpcServer } from './rpc/rpcServer';
import { createRpcServer } from './rpc/rpcServer';
import { openDatabase } from './store/database';

export interface CoreOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  encryptor: Encryptor;
  version: string;
}

export interface Core {
  readonly rpc: RpcServer;
  start(): Promise<void>;
  /** Drains and closes everything; safe to call twice. */
  stop(): Promise<void>;
}

/** The composition root: the only place that builds the core's object graph from its ports. */
export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir);
  let status: AccountStatus = {
    mode: 'sandbox',
    accountId: '',
    applicationId: '',
    numbers: [],
    connection: 'offline',
    callbackUrl: null,
    tunnel: { state: 'off', publicUrl: null, error: null },
    dataDir: options.dataDir,
    version: options.version,
  };
  const handlers: Partial<Handlers> = {
    'account.status': () => status,
    'queue.status': () => ({ depth: 0, scheduled: 0, nextSendAt: null, drainedBy: null }),
  };
  const rpc = createRpcServer(() => handlers, options.logger);
  let stopped = false;
  return {
    rpc,
    async start() {
      status = { ...status, connection: 'online' };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      db.close();
    },
  };
}
