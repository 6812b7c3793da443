import type { App } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance } from './singleInstance';

const fakeApp = (locked: boolean) => Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => locked }) as unknown as App & EventEmitter;

describe('claimSingleInstance', () => {
  it('returns null when another instance holds the lock', () => {
    expect(claimSingleInstance(fakeApp(false), ['app'])).toBeNull();
  });

  it('holds launches until the shell is ready, then delivers them in order, then live', () => {
    const app = fakeApp(true);
    const launches = claimSingleInstance(app, ['app', 'first'])!;
    app.emit('second-instance', {}, ['app', 'sms:+19195551234'], '/cwd', {});
    const delivered: (readonly string[])[] = [];
    launches.onLaunch((argv) => delivered.push(argv));
    expect(delivered).toEqual([['app', 'first'], ['app', 'sms:+19195551234']]);

    app.emit('second-instance', {}, ['app', 'again'], '/cwd', {});
    expect(delivered.at(-1)).toEqual(['app', 'again']);
  });

  it("takes macOS's open-url as a launch with that link", () => {
    const app = fakeApp(true);
    const launches = claimSingleInstance(app, [])!;
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    const delivered: (readonly string[])[] = [];
    launches.onLaunch((argv) => delivered.push(argv));
    app.emit('open-url', event, 'sms:+19195551234');
    expect(event.prevented).toBe(true);
    expect(delivered).toEqual([[], ['sms:+19195551234']]);
  });
});
