import type { Sandbox, SandboxOptions } from './index';
import { PERSONAS, startSandbox } from './index';

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
    customers: () => (options.personas === false ? [] : PERSONAS.map((p) => ({ number: p.number, name: p.name }))),
    /** Through the control API, exactly as tests and demos drive it. */
    async simulateInbound(request: { from: string; to: string[]; text: string; images: number }) {
      if (!running) throw new Error('The Sandbox is not running');
      const response = await fetch(`${running.controlUrl}/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: request.from, to: request.to.length === 1 ? request.to[0] : request.to, text: request.text, images: request.images }),
      });
      if (!response.ok) throw new Error(`The Sandbox refused the message: ${await response.text()}`);
    },
    async stop() {
      const sandbox = running;
      running = null;
      await sandbox?.stop();
    },
  };
}
