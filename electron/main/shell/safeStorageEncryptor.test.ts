import type { SafeStorage } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../core/platform/ports';
import { createSafeStorageEncryptor } from './safeStorageEncryptor';

/** A stand-in for the OS keychain: reversible, but not the identity, so a missing call would show. */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
    decryptString: (cipher: Buffer) => Buffer.from(cipher).reverse().toString('utf8'),
  } as unknown as SafeStorage;
}
const logger = () => {
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, error: () => {}, warn: (m) => void warnings.push(m) };
  return { log, warnings };
};

describe('createSafeStorageEncryptor', () => {
  it('encrypts through safeStorage and round-trips', () => {
    const encryptor = createSafeStorageEncryptor(fakeSafeStorage(true), logger().log, 'linux');
    const cipher = encryptor.encrypt('client-secret-ü');
    expect(cipher.toString('utf8')).not.toContain('client-secret');
    expect(encryptor.decrypt(cipher)).toBe('client-secret-ü');
    expect(encryptor.kind).toBe('safeStorage');
  });
  it('refuses to start without OS secret storage', () => {
    expect(() => createSafeStorageEncryptor(fakeSafeStorage(false), logger().log, 'linux')).toThrow(/safeStorage is unavailable/);
  });
  it('says so when Linux has no keyring and falls back to a fixed key', () => {
    const { log, warnings } = logger();
    expect(createSafeStorageEncryptor(fakeSafeStorage(true, 'basic_text'), log, 'linux').kind).toBe('safeStorage-basic');
    expect(warnings).toEqual([expect.stringContaining('no OS keyring')]);
  });
  it('does not ask for a Linux backend elsewhere', () => {
    const { log, warnings } = logger();
    expect(createSafeStorageEncryptor(fakeSafeStorage(true, 'basic_text'), log, 'darwin').kind).toBe('safeStorage');
    expect(warnings).toEqual([]);
  });
});
