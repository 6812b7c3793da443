import type { SafeStorage } from 'electron';
import type { Encryptor, Logger } from '../core/platform/ports';

/**
 * The desktop app's Encryptor: the OS keychain through Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
 * Call it after `ready` (safeStorage is unavailable before). Linux without a keyring falls back to a hard-coded
 * key ('basic_text'): still encrypted at rest, but not protected from someone who can read the data folder, so we
 * say so in the log and in `kind`, which the settings screen can show.
 */
export function createSafeStorageEncryptor(safeStorage: SafeStorage, logger: Logger, platform: NodeJS.Platform = process.platform): Encryptor {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error('The operating system offers no secret storage (safeStorage is unavailable), so credentials cannot be kept safely.');
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text') logger.warn('no OS keyring found: credentials are encrypted with a fixed key (install gnome-keyring or kwallet)');
  return {
    kind: backend === 'basic_text' ? 'safeStorage-basic' : 'safeStorage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
