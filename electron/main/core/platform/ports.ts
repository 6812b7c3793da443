/** Ports: every side effect the core needs enters through one of these (ARCHITECTURE.md, convention 11). */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Encrypts secrets at rest: Electron safeStorage in the desktop app, a user-only key file in browser mode. */
export interface Encryptor {
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface AppPaths {
  /** The user's data folder: the database, attachments, settings, logs. */
  readonly dataDir: string;
}

export interface OpenExternal {
  open(url: string): Promise<void>;
}

/**
 * Starts the embedded Bandwidth simulator for Sandbox mode and answers with its account (the shape of an
 * `--account` file, parsed by the core). Injected because the core never imports the sandbox.
 */
export interface SandboxLauncher {
  start(): Promise<unknown>;
  /** The simulated customers, so a new user sees names rather than bare numbers. */
  customers(): { number: string; name: string }[];
  /** A simulated customer texts one of our numbers (for demos and training; Sandbox mode only). */
  simulateInbound(request: { from: string; to: string[]; text: string; images: number }): Promise<void>;
  stop(): Promise<void>;
}
