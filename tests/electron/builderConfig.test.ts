import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../electron/main/shell/security';

/** electron-builder.yml, read and validated by electron-builder's own code and JSON schema (no packaging). */
const root = fileURLToPath(new URL('../../', import.meta.url));
const debug = { isEnabled: false, add: () => {} } as unknown as Parameters<typeof validateConfiguration>[1];
const load = () => getConfig(root, 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", async () => {
    await expect(validateConfiguration(await load(), debug)).resolves.toBeUndefined();
  });

  it('is a config the schema would catch mistakes in', async () => {
    const config = await load();
    const broken = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(broken, debug)).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('builds AppImage, deb, NSIS and dmg for Switchboard', async () => {
    const config = await load();
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe('Switchboard');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('unpacks better-sqlite3, never rebuilds it, and ships the Electron-ABI build as a resource', async () => {
    const config = await load();
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(false);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'build/native/', to: 'native/' }));
  });

  it('sets the Electron fuses', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('registers sms: links and points at icons that exist', async () => {
    const config = await load();
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['sms'] })]);
    expect(config.linux?.mimeTypes).toContain('x-scheme-handler/sms');
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon && existsSync(`${root}${icon}`), String(icon)).toBe(true);
    }
  });
});
