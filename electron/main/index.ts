import { app, dialog, protocol, safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedSandbox } from './sandbox/embedded';
import { createCore } from './core/createCore';
import { createConsoleLogger, systemClock } from './core/platform/node';
import { registerPrivilegedSchemes } from './shell/protocols';
import { createSafeStorageEncryptor } from './shell/safeStorageEncryptor';
import type { LaunchRequests } from './shell/singleInstance';
import { claimSingleInstance } from './shell/singleInstance';
import { startShell } from './shell/startShell';

/**
 * The desktop app's lifecycle. Everything that can run without Electron lives in core/; this file only composes:
 * claim the instance, build the core with Electron's adapters, start it, put the shell around it, stop on quit.
 */
const logger = createConsoleLogger('main');

/**
 * Starts the core and the shell around it; returns how to stop them (the shell first, then the core drains).
 * Whatever else the app runs beside the core (the embedded Sandbox) starts here too and joins the stop function.
 */
async function startApp(launches: LaunchRequests): Promise<() => Promise<void>> {
  const dataDir = app.getPath('userData');
  // The Electron-ABI better-sqlite3 (scripts/release builds it; Node's own build cannot load in Electron).
  const nativeBinding = app.isPackaged
    ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : join(app.getAppPath(), 'build', 'native', 'better_sqlite3.node');
  const core = createCore({
    dataDir,
    clock: systemClock,
    logger,
    encryptor: createSafeStorageEncryptor(safeStorage, logger),
    version: app.getVersion(),
    nativeBinding: existsSync(nativeBinding) ? nativeBinding : undefined,
    sandbox: embeddedSandbox(),
  });
  await core.start();
  const shell = startShell({
    rpc: core.rpc,
    dataDir,
    logger,
    launches,
    media: (id) => core.resolveMedia(id),
    upload: (bytes, name) => core.stageAttachment(bytes, name),
  });
  return async () => {
    shell.stop();
    await core.stop();
  };
}

// Before ready: every renderer sandboxed whatever its options say, and app:// registered as a real origin.
app.enableSandbox();
registerPrivilegedSchemes(protocol);
const launches = claimSingleInstance(app, process.argv);
if (!launches) {
  app.quit();
} else {
  let stopApp: (() => Promise<void>) | null = null;
  app
    .whenReady()
    .then(async () => {
      stopApp = await startApp(launches);
    })
    .catch((error: unknown) => {
      logger.error('Switchboard could not start', { error: error instanceof Error ? error.stack : String(error) });
      // No window exists yet, so say it in a dialog rather than vanish.
      dialog.showErrorBox('Switchboard could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quit waits for the core to drain (queue, database) once, then quits for real.
  app.on('will-quit', (event) => {
    if (!stopApp) return;
    event.preventDefault();
    const stop = stopApp;
    stopApp = null;
    stop()
      .catch((error: unknown) => logger.error('stopping failed', { error: String(error) }))
      .finally(() => app.quit());
  });
}
