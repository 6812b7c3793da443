/**
 * `npm run sandbox -- [--port N] [--json] [--seed N] [--no-personas] [--class-rate CLASS=MPS ...]`: the simulator alone. With --json it
 * prints exactly one JSON line on stdout when ready (PRODUCT.md §3); logs go to stderr. SIGINT/SIGTERM stop it.
 */
import { parseArgs } from 'node:util';
import type { NumberClass } from './index';
import { startSandbox } from './index';

const CLASSES: readonly NumberClass[] = ['local', 'toll-free', '10dlc', 'short-code'];

/** `--class-rate 10dlc=200`: a number class's rate in segments per second (tests drain big queues fast). */
function classRates(values: string[]): Partial<Record<NumberClass, number>> {
  const rates: Partial<Record<NumberClass, number>> = {};
  for (const value of values) {
    const [name, mps] = value.split('=');
    const rate = Number(mps);
    if (!CLASSES.includes(name as NumberClass) || !(rate > 0)) throw new Error(`--class-rate must be CLASS=MPS with CLASS one of ${CLASSES.join(', ')}, got '${value}'`);
    rates[name as NumberClass] = rate;
  }
  return rates;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'no-personas': { type: 'boolean', default: false },
      'class-rate': { type: 'string', multiple: true, default: [] },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${values.port}'`);
  const log = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
  const sandbox = await startSandbox({
    port,
    personas: !values['no-personas'],
    classRates: classRates(values['class-rate']),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    log,
  });
  const ready = {
    baseUrl: sandbox.baseUrl,
    tokenUrl: sandbox.tokenUrl,
    dashboardUrl: sandbox.dashboardUrl,
    accountId: sandbox.accountId,
    applicationId: sandbox.applicationId,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    numbers: sandbox.numbers.map((n) => n.number),
    controlUrl: sandbox.controlUrl,
    apiUser: sandbox.apiUser,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
  else {
    log(`Bandwidth simulator ready at ${sandbox.baseUrl}`);
    for (const [key, value] of Object.entries(ready)) log(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    sandbox.stop().then(() => process.exit(0), (error: unknown) => {
      log(`stop failed: ${String(error)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`[sandbox] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
