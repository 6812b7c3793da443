import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What to launch, found without `require('electron')` (which would try to download the binary):
 * - SWITCHBOARD_ELECTRON_APP: a packaged app's executable (scripts/release smoke-tests the installer build);
 * - else the development binary that `npx install-electron` puts in node_modules/electron/dist.
 * Returns a reason instead when there is none, for the suite to print as it skips.
 */
export function findElectron(): { executable: string; packaged: boolean } | { reason: string } {
  const packaged = process.env.SWITCHBOARD_ELECTRON_APP;
  if (packaged) return existsSync(packaged) ? { executable: packaged, packaged: true } : { reason: `SWITCHBOARD_ELECTRON_APP=${packaged} does not exist` };
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) {
    return { reason: 'no Electron binary here (node_modules/electron/path.txt is missing: the binary is downloaded on first use, and GitHub is unreachable from this machine)' };
  }
  const executable = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, readFileSync(pathFile, 'utf8'))
    : join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8'));
  return existsSync(executable) ? { executable, packaged: false } : { reason: `the Electron binary ${executable} named by node_modules/electron/path.txt is missing` };
}

export interface RunningApp {
  app: ElectronApplication;
  window: Page;
  close(): Promise<void>;
}

/** Launches Switchboard on a fresh data folder (Chromium's --user-data-dir is Electron's userData). */
export async function launch(found: { executable: string; packaged: boolean }, extraArgs: string[] = []): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-electron-'));
  const args = [
    // Chromium refuses its sandbox as root (CI containers); the renderer is still sandboxed by our options.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(found.packaged ? [] : [root]),
    `--user-data-dir=${dataDir}`,
    ...extraArgs,
  ];
  const app = await electron.launch({ executablePath: found.executable, args, cwd: root });
  const window = await app.firstWindow();
  return {
    app,
    window,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
