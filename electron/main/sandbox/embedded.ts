import type { Sandbox, SandboxOptions } from './index';
import { startSandbox } from './index';

/** The account an app uses against a running simulator: the shape of PRODUCT.md's `--account` file. */
export function sandboxAccount(sandbox: Sandbox) {
  return {
    accountId: sandbox.accountId,
    applicationId: sandbox.applicationId,
    auth: { type: 'oauth2' as const, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    baseUrl: sandbox.baseUrl,
    tokenUrl: sandbox.tokenUrl,
    dashboardUrl: sandbox.dashboardUrl,
    numbers: sandbox.numbers.map((n) => ({ number: n.number, class: n.class })),
  };
}

/** Sandbox mode's launcher (the core's SandboxLauncher port): the simulator in process, on a free port. */
export function embeddedSandbox(options: SandboxOptions = {}) {
  let running: Sandbox | null = null;
  return {
    async start() {
      running ??= await startSandbox({ port: 0, ...options });
      return sandboxAccount(running);
    },
    async stop() {
      const sandbox = running;
      running = null;
      await sandbox?.stop();
    },
  };
}
