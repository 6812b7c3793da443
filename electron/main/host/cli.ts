import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAccountFile } from '../core/bandwidth/account';
import { createCore } from '../core/createCore';
import { createConsoleLogger, createKeyFileEncryptor, defaultDataDir, systemClock } from '../core/platform/node';
import { embeddedSandbox } from '../sandbox/embedded';
import { defaultRendererDir, startHost } from './host';

/** `npm run web`: browser mode. The same core as the desktop app, the renderer in any browser over WebSocket. */
const USAGE = `usage: npm run web -- [--port N] [--data-dir DIR] [--json] [--account FILE]
                      [--callback-port N] [--callback-user U --callback-password P] [--tunnel-host URL | --no-tunnel]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function portArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--${name} must be a number from 0 to 65535, got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        account: { type: 'string' },
        'callback-port': { type: 'string' },
        'callback-user': { type: 'string' },
        'callback-password': { type: 'string' },
        'tunnel-host': { type: 'string' },
        'no-tunnel': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (Boolean(args['callback-user']) !== Boolean(args['callback-password'])) fail('--callback-user and --callback-password go together');
  const port = portArg('port', args.port, 5170);
  const callbackPort = portArg('callback-port', args['callback-port'], 0);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir());
  const logger = createConsoleLogger('web', args.json);
  const account = args.account ? await loadAccountFile(resolve(args.account)) : undefined;

  const core = createCore({
    dataDir,
    clock: systemClock,
    logger,
    encryptor: createKeyFileEncryptor(join(dataDir, 'secret.key')),
    version,
    sandbox: embeddedSandbox(),
    account,
    callback: { port: callbackPort, username: args['callback-user'], password: args['callback-password'] },
    tunnelHost: args['no-tunnel'] ? false : args['tunnel-host'],
  });
  await core.start();
  const host = await startHost({ core, port, rendererDir: defaultRendererDir(root), logger });

  const ready = { url: host.url, rpc: host.rpcUrl, callbackUrl: core.callbackUrl, dataDir };
  if (args.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
  else process.stdout.write(`Switchboard is running in browser mode.\n  Open: ${host.url}\n  Data: ${dataDir}\nPress Ctrl+C to stop.\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await host.close();
    await core.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
