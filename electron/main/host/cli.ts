import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/createCore';
import { createConsoleLogger, createKeyFileEncryptor, defaultDataDir, systemClock } from '../core/platform/node';
import { defaultRendererDir, startHost } from './host';

/** `npm run web`: browser mode. The same core as the desktop app, the renderer in any browser over WebSocket. */
const USAGE = 'usage: npm run web -- [--port N] [--data-dir DIR] [--json]';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string', default: '5170' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, got "${args.port}"\n${USAGE}\n`);
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir());
  const logger = createConsoleLogger('web', args.json);
  const core = createCore({ dataDir, clock: systemClock, logger, encryptor: createKeyFileEncryptor(join(dataDir, 'secret.key')), version });
  await core.start();
  const host = await startHost({ core, port, rendererDir: defaultRendererDir(root), logger });

  const ready = { url: host.url, rpc: host.rpcUrl, callbackUrl: null as string | null, dataDir };
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
