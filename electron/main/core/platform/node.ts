import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Clock, Encryptor, Logger } from './ports';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** One JSON line per entry on stderr, so stdout stays free for the --json ready line. */
export function createConsoleLogger(scope: string, quiet = false): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (quiet && level === 'info') return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, scope, message, ...fields })}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** The per-user data folder of browser mode when no --data-dir is given (XDG on Linux, the usual places elsewhere). */
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchboard');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchboard');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'switchboard');
}

/**
 * Browser mode's Encryptor: AES-256-GCM with a random key kept in a file readable only by the user (0600).
 * Electron uses safeStorage instead (shell/safeStorageEncryptor.ts).
 */
export function createKeyFileEncryptor(keyFile: string): Encryptor {
  let key: Buffer;
  if (existsSync(keyFile)) {
    key = readFileSync(keyFile);
    if (key.length !== 32) throw new Error(`The key file ${keyFile} is damaged (expected 32 bytes, found ${key.length}).`);
  } else {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyFile, 0o600);
  return {
    kind: 'key-file',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
