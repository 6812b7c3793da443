import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/ipc/errors';
import type { AccountStatus, CredentialsStatus, StagedAttachment, TunnelState } from '../../../shared/ipc/schemas';
import type { AccountConfig } from './bandwidth/account';
import { parseAccountConfig } from './bandwidth/account';
import type { BandwidthClient } from './bandwidth/client';
import { createBandwidthClient } from './bandwidth/client';
import type { CallbackServer } from './callbacks/server';
import { CALLBACK_PATH, startCallbackServer } from './callbacks/server';
import { lockDataDir } from './dataDirLock';
import { readSettings, updateSettings } from './messaging/appSettings';
import type { EngineContext } from './messaging/context';
import type { Engine, EngineOptions } from './messaging/engine';
import { createEngine } from './messaging/engine';
import { createContactHandlers } from './messaging/contacts';
import { createExportHandlers } from './messaging/exports';
import type { Clock, Encryptor, Logger, SandboxLauncher } from './platform/ports';
import type { Handlers, RpcServer } from './rpc/rpcServer';
import { createRpcServer } from './rpc/rpcServer';
import { getAttachment, listThreadAttachments, toAttachment } from './store/attachments';
import type { Db } from './store/database';
import { openDatabase } from './store/database';
import { listMessages, getMessage } from './store/messages';
import { indexNewMessages, searchMessages } from './store/search';
import { deleteSetting, getSetting, setSetting } from './store/settings';
import { getContact, upsertContact } from './store/contacts';
import { getThread, listThreads, markThreadRead, upsertThread } from './store/threads';
import { threadKey } from '../../../shared/domain/threadKey';
import { createLocaltunnel, DEFAULT_TUNNEL_HOST, tunnelSubdomain } from './tunnel/localtunnel';
import type { TunnelSupervisor } from './tunnel/supervisor';
import { createTunnelSupervisor } from './tunnel/supervisor';
import { DEFAULT_MPS } from './queue/rateLimiter';

export interface CoreOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  encryptor: Encryptor;
  version: string;
  /** The Electron-ABI better-sqlite3 binary in the packaged app; Node's own build otherwise. */
  nativeBinding?: string;
  /** Starts the embedded simulator when no Live account is configured. */
  sandbox: SandboxLauncher;
  /** A fixed Live account (browser mode's `--account FILE`); it wins over stored credentials. */
  account?: AccountConfig;
  /** The callback listener: port (0 = any) and fixed credentials (random per run otherwise). */
  callback?: { port?: number; username?: string; password?: string };
  /** Where Live mode opens its public tunnel; false for none. */
  tunnelHost?: string | false;
  engine?: EngineOptions;
}

export interface Core {
  readonly rpc: RpcServer;
  readonly dataDir: string;
  /** The callback listener's URL (both inbound and status events), once started. */
  readonly callbackUrl: string | null;
  start(): Promise<void>;
  /** Stores a file the agent attached (the upload route and the Electron protocol call this; binary never goes over RPC). */
  stageAttachment(bytes: Buffer, name: string): Promise<StagedAttachment>;
  /** A stored file to serve by attachment id, or null. */
  resolveMedia(attachmentId: string): { path: string; contentType: string; name: string; size: number } | null;
  /** Drains the queue and closes everything; safe to call twice. */
  stop(): Promise<void>;
}

/** Live credentials at rest: the whole account, encrypted with the platform's Encryptor. */
const storedAccount = z.object({ cipher: z.string(), checkedAt: z.number() });
const ACCOUNT_KEY = 'liveAccount';
const storedSecret = z.object({ cipher: z.string() });
const CALLBACK_CREDENTIALS_KEY = 'callbackCredentials';
/** A random id per data folder: the tunnel's subdomain must survive restarts, and the callback port does not (port 0). */
const INSTALLATION_KEY = 'installationId';
/** Messages per background search-index batch: ~5 ms of the main thread at ~10 µs a message. */
const INDEX_BATCH = 500;

interface Session {
  mode: 'sandbox' | 'live';
  account: AccountConfig;
  client: BandwidthClient;
  engine: Engine;
  tunnel: TunnelSupervisor | null;
  connection: AccountStatus['connection'];
}

/** The composition root: the only place that builds the core's object graph from its ports. */
export function createCore(options: CoreOptions): Core {
  const { clock, logger, encryptor, dataDir } = options;
  const unlock = lockDataDir(dataDir);
  let db: Db;
  try {
    db = openDatabase(dataDir, options.nativeBinding, logger);
  } catch (error) {
    unlock();
    throw error;
  }
  const callbackCredentials = options.callback?.username && options.callback.password
    ? { username: options.callback.username, password: options.callback.password }
    : storedCallbackCredentials();
  let callbacks: CallbackServer | null = null;
  let session: Session | null = null;
  let switching: Promise<void> = Promise.resolve();
  let tunnelState: TunnelState = { state: 'off', publicUrl: null, error: null };
  let sandboxRunning = false;

  // New messages reach the search index in batches (migration 011): every second here, and before every search. A
  // batch is bounded, and the next follows at once while any are left: a flood of callbacks is indexed in steps of a
  // few ms between their commits, not once a second in one stall of 25–70 ms that every callback in flight waited on.
  let indexing: { cancel(): void } | null = null;
  const indexSoon = (ms: number) => {
    indexing = clock.setTimeout(() => {
      let caughtUp = true;
      try {
        caughtUp = indexNewMessages(db, INDEX_BATCH).caughtUp;
      } catch (error) {
        logger.error('indexing new messages for search failed; will try again', { error: String(error) });
      }
      if (!stopped) indexSoon(caughtUp ? 1000 : 0);
    }, ms);
  };

  const rpc = createRpcServer(() => handlers, logger);
  const settings = () => readSettings(db);
  const current = (): Session => {
    if (!session) throw new AppError('UNAVAILABLE', 'Switchboard is still starting; try again in a moment.');
    return session;
  };

  function loadStoredAccount(): AccountConfig | null {
    const stored = getSetting(db, ACCOUNT_KEY, storedAccount);
    if (!stored) return null;
    try {
      return parseAccountConfig(JSON.parse(encryptor.decrypt(Buffer.from(stored.cipher, 'base64'))), 'Stored Live account');
    } catch (error) {
      logger.error('the stored Live account cannot be read; using the Sandbox', { error: String(error) });
      return null;
    }
  }

  function accountStatus(): AccountStatus {
    return {
      mode: session?.mode ?? 'sandbox',
      accountId: session?.account.accountId ?? '',
      applicationId: session?.account.applicationId ?? '',
      numbers: (session?.account.numbers ?? []).map((n) => ({ number: n.number, class: n.class, mps: n.mps ?? DEFAULT_MPS[n.class] })),
      connection: session?.connection ?? 'offline',
      callbackUrl: callbacks?.url ?? null,
      tunnel: tunnelState,
      dataDir,
      version: options.version,
    };
  }

  function credentialsStatus(): CredentialsStatus {
    const stored = getSetting(db, ACCOUNT_KEY, storedAccount);
    const live = options.account ?? loadStoredAccount();
    return {
      mode: live ? 'live' : 'sandbox',
      authType: live?.auth.type ?? null,
      accountId: live?.accountId ?? null,
      clientIdOrUsername: live ? (live.auth.type === 'oauth2' ? live.auth.clientId : live.auth.username) : null,
      checkedAt: stored?.checkedAt ?? null,
      error: session?.connection === 'unauthorized' ? 'Bandwidth refused these credentials.' : null,
    };
  }

  /** Points the messaging application's callbacks at us (the sandbox directly; Live through the tunnel's public URL). */
  async function pointApplicationAt(client: BandwidthClient, base: string): Promise<void> {
    const creds = { userId: callbackCredentials.username, password: callbackCredentials.password };
    await client.dashboard.patchApplication({
      inboundCallbackUrl: `${base}${CALLBACK_PATH}`,
      outboundCallbackUrl: `${base}${CALLBACK_PATH}`,
      inboundCallbackCreds: creds,
      outboundCallbackCreds: creds,
    });
  }

  async function openSession(): Promise<void> {
    const live = options.account ?? loadStoredAccount();
    const mode = live ? 'live' : 'sandbox';
    let account: AccountConfig;
    if (live) account = live;
    else {
      account = parseAccountConfig(await options.sandbox.start(), 'The Sandbox account');
      sandboxRunning = true;
      // Names for the simulated customers, unless the agent already saved a contact for that number.
      for (const customer of options.sandbox.customers()) {
        if (!getContact(db, customer.number)) upsertContact(db, customer, clock.now());
      }
    }
    const client = createBandwidthClient(account, { clock });
    const ctx: EngineContext = { db, clock, logger, bus: rpc, dataDir, account, client, settings };
    const engine = createEngine(ctx, options.engine);
    const next: Session = { mode, account, client, engine, tunnel: null, connection: 'online' };
    session = next;
    if (mode === 'sandbox') {
      await pointApplicationAt(client, new URL(callbacks!.url).origin);
    } else {
      void client.checkCredentials().then((check) => {
        if (session !== next) return;
        next.connection = check.ok ? 'online' : check.reason === 'unreachable' ? 'offline' : 'unauthorized';
        rpc.emit('account.changed', accountStatus());
      });
      if (options.tunnelHost !== false) next.tunnel = startTunnel(next);
    }
    await engine.start();
    rpc.emit('account.changed', accountStatus());
  }

  /**
   * The Basic credentials Bandwidth must present to our listener: made once per data folder and kept encrypted, so
   * callbacks Bandwidth retries across a restart (to the URL and credentials it was given) still get in.
   */
  function storedCallbackCredentials(): { username: string; password: string } {
    const stored = getSetting(db, CALLBACK_CREDENTIALS_KEY, storedSecret);
    if (stored) {
      try {
        return { username: 'switchboard', password: encryptor.decrypt(Buffer.from(stored.cipher, 'base64')) };
      } catch (error) {
        logger.warn('the stored callback password cannot be read; making a new one', { error: String(error) });
      }
    }
    const password = randomBytes(18).toString('base64url');
    setSetting(db, CALLBACK_CREDENTIALS_KEY, storedSecret, { cipher: encryptor.encrypt(password).toString('base64') });
    return { username: 'switchboard', password };
  }

  function installationId(): string {
    const stored = getSetting(db, INSTALLATION_KEY, z.string());
    return stored ?? setSetting(db, INSTALLATION_KEY, z.string(), randomBytes(9).toString('hex'));
  }

  function startTunnel(live: Session): TunnelSupervisor {
    const tunnel = createTunnelSupervisor({
      tunnel: createLocaltunnel({
        clock,
        localPort: callbacks!.port,
        host: options.tunnelHost || DEFAULT_TUNNEL_HOST,
        subdomain: tunnelSubdomain(live.account.accountId, installationId()),
      }),
      clock,
      logger,
      onState: (state) => {
        tunnelState = state;
        rpc.emit('tunnel.stateChanged', state);
        rpc.emit('account.changed', accountStatus());
        // Callbacks lost while the tunnel was down are recovered from Bandwidth's message list.
        if (state.state === 'online') void live.engine.reconcile();
      },
      onPublicUrlChanged: (url) => pointApplicationAt(live.client, url),
    });
    tunnel.start();
    return tunnel;
  }

  async function closeSession(): Promise<void> {
    const closing = session;
    session = null;
    if (!closing) return;
    closing.tunnel?.stop();
    tunnelState = { state: 'off', publicUrl: null, error: null };
    await closing.engine.stop();
    await closing.client.close();
    if (sandboxRunning) {
      sandboxRunning = false;
      await options.sandbox.stop();
    }
  }

  /** Account changes are serialised: one session closes fully before the next opens. */
  function switchAccount(): Promise<void> {
    switching = switching.then(async () => {
      await closeSession();
      await openSession();
    });
    return switching;
  }

  const contacts = createContactHandlers(db, clock, rpc);
  const exports = createExportHandlers(db, clock);

  const handlers: Partial<Handlers> = {
    'account.status': () => accountStatus(),
    'queue.status': () => current().engine.status(),
    'threads.list': (input) => listThreads(db, input),
    'threads.get': ({ threadId }) => ({ thread: found(getThread(db, threadId), 'conversation') }),
    'threads.start': ({ from, to }) => {
      if (!current().account.numbers.some((n) => n.number === from)) throw new AppError('INVALID_INPUT', `from: ${from} is not one of this account's numbers`);
      const thread = upsertThread(db, threadKey(from, to), clock.now());
      rpc.emit('thread.updated', { thread });
      return { thread };
    },
    'threads.markRead': ({ threadId }) => {
      const thread = markThreadRead(db, threadId);
      rpc.emit('thread.updated', { thread });
      return { thread };
    },
    'threads.media': ({ threadId, ...page }) => listThreadAttachments(db, found(getThread(db, threadId), 'conversation').id, page),
    'messages.list': (input) => {
      found(getThread(db, input.threadId), 'conversation');
      return listMessages(db, input);
    },
    'messages.send': async (input) => ({ message: await current().engine.send(input) }),
    'messages.retry': ({ messageId }) => ({ message: current().engine.retry(found(getMessage(db, messageId), 'message').id) }),
    'messages.cancel': ({ messageId }) => ({ message: current().engine.cancel(messageId) }),
    'attachments.discard': async ({ attachmentId }) => {
      await current().engine.discard(attachmentId);
      return {};
    },
    'attachments.staged': ({ attachmentIds }) => ({
      attachments: attachmentIds.flatMap((id) => {
        const record = getAttachment(db, id);
        return record && record.messageId === null && record.state === 'ready' ? [toAttachment(record)] : [];
      }),
    }),
    'search.query': (input) => searchMessages(db, input),
    ...contacts,
    ...exports,
    'settings.get': () => settings(),
    'settings.update': (patch) => {
      const next = updateSettings(db, patch);
      rpc.emit('settings.changed', next);
      return next;
    },
    'view.set': ({ threadId }) => {
      rpc.emit('view.changed', { threadId });
      return {};
    },
    'sandbox.simulateInbound': async (input) => {
      if (current().mode !== 'sandbox') throw new AppError('CONFLICT', 'Simulated customers exist only in Sandbox mode.');
      await options.sandbox.simulateInbound(input);
      return {};
    },
    'credentials.status': () => credentialsStatus(),
    'credentials.set': async (input) => {
      if (options.account) throw new AppError('CONFLICT', 'This Switchboard was started with a fixed account (--account); change that file instead.');
      const account = parseAccountConfig(input, 'Credentials');
      const client = createBandwidthClient(account, { clock });
      const check = await client.checkCredentials().finally(() => client.close());
      if (!check.ok) throw new AppError(check.reason === 'unreachable' ? 'UNAVAILABLE' : 'UNAUTHORIZED', check.message);
      setSetting(db, ACCOUNT_KEY, storedAccount, { cipher: encryptor.encrypt(JSON.stringify(account)).toString('base64'), checkedAt: clock.now() });
      await switchAccount();
      return credentialsStatus();
    },
    'credentials.clear': async () => {
      if (options.account) throw new AppError('CONFLICT', 'This Switchboard was started with a fixed account (--account); it cannot forget it.');
      deleteSetting(db, ACCOUNT_KEY);
      await switchAccount();
      return credentialsStatus();
    },
  };

  let stopped = false;
  return {
    rpc,
    dataDir,
    get callbackUrl() {
      return callbacks?.url ?? null;
    },
    async start() {
      callbacks = await startCallbackServer({
        port: options.callback?.port ?? 0,
        credentials: callbackCredentials,
        ingest: (events) => current().engine.ingest(events),
        logger,
      });
      await switchAccount();
      if (!stopped) indexSoon(1000);
    },
    stageAttachment: (bytes, name) => current().engine.stage(bytes, name),
    resolveMedia: (id) => session?.engine.resolveMedia(id) ?? null,
    async stop() {
      if (stopped) return;
      stopped = true;
      await switching.catch(() => {});
      await callbacks?.close();
      await closeSession();
      indexing?.cancel();
      db.close();
      unlock();
    },
  };
}

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new AppError('NOT_FOUND', `That ${what} does not exist.`);
  return value;
}
