import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShellOptions } from './shell/startShell';

/** The lifecycle in index.ts with a fake Electron app and the real core; the shell itself is tested on its own. */
const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const state = {
    locked: true,
    userData: '',
    errors: [] as string[],
    exitCode: null as number | null,
    quits: 0,
    sandboxed: false,
    schemes: [] as unknown[],
    shell: null as null | { options: unknown; stopped: boolean },
    ready: () => {},
  };
  const app = Object.assign(new EventEmitter(), {
    enableSandbox: () => void (state.sandboxed = true),
    requestSingleInstanceLock: () => state.locked,
    getPath: () => state.userData,
    getAppPath: () => state.userData,
    isPackaged: false,
    getVersion: () => '9.9.9',
    quit: () => void state.quits++,
    exit: (code: number) => void (state.exitCode = code),
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
  });
  return { state, app };
});

vi.mock('electron', () => ({
  app: fake.app,
  dialog: { showErrorBox: (title: string, message: string) => fake.state.errors.push(`${title}: ${message}`) },
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => fake.state.schemes.push(...schemes) },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
  },
}));
vi.mock('./shell/startShell', () => ({
  startShell: (options: ShellOptions) => {
    const shell = { options, stopped: false };
    fake.state.shell = shell;
    return { stop: () => void (shell.stopped = true) };
  },
}));

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
beforeEach(() => {
  vi.resetModules();
  fake.app.removeAllListeners();
  Object.assign(fake.state, { locked: true, errors: [], exitCode: null, quits: 0, sandboxed: false, schemes: [], shell: null, userData: mkdtempSync(join(tmpdir(), 'sb-index-')) });
  dirs.push(fake.state.userData);
});

describe('index.ts', () => {
  it('quits at once when another instance holds the lock, after the pre-ready setup', async () => {
    fake.state.locked = false;
    await import('./index');
    expect(fake.state.quits).toBe(1);
    expect(fake.state.sandboxed).toBe(true);
    expect(fake.state.schemes).toHaveLength(1);
    expect(fake.app.listenerCount('will-quit')).toBe(0);
  });

  it('says why in a dialog and exits when it cannot start', async () => {
    // A file where the data folder's parent should be: the database cannot be created.
    const file = join(fake.state.userData, 'a-file');
    writeFileSync(file, '');
    fake.state.userData = join(file, 'data');
    await import('./index');
    fake.state.ready();
    await vi.waitFor(() => expect(fake.state.exitCode).toBe(1));
    expect(fake.state.errors).toEqual([expect.stringMatching(/^Switchboard could not start: /)]);
    expect(fake.state.shell).toBeNull();
  });

  it('starts the core in userData with the shell around it, and stops both before quitting', async () => {
    await import('./index');
    fake.state.ready();
    await vi.waitFor(() => expect(fake.state.shell).not.toBeNull());
    const { rpc, dataDir } = fake.state.shell!.options as ShellOptions;
    expect(dataDir).toBe(fake.state.userData);
    // Sandbox mode: the embedded simulator started and the core configured itself against it.
    expect(await rpc.handle({ id: 1, method: 'account.status', input: {} })).toMatchObject({ ok: true, output: { version: '9.9.9', dataDir, mode: 'sandbox', connection: 'online' } });

    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    fake.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.state.quits).toBe(1));
    expect(fake.state.shell!.stopped).toBe(true);
    // The second will-quit (from that quit) goes through.
    const again = { defaultPrevented: false, preventDefault: () => (again.defaultPrevented = true) };
    fake.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
