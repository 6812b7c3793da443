import type { Session, WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardSession, guardWebContents } from './guards';

type OpenHandler = (details: { url: string }) => { action: string };
function fakeContents() {
  const emitter = new EventEmitter() as EventEmitter & { openHandler?: OpenHandler };
  Object.assign(emitter, { setWindowOpenHandler: (h: OpenHandler) => (emitter.openHandler = h) });
  return emitter;
}
const navigation = (url: string) => {
  const event = { url, prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
};

describe('guardWebContents', () => {
  const setup = () => {
    const contents = fakeContents();
    const opened: string[] = [];
    guardWebContents(contents as unknown as WebContents, (url) => opened.push(url));
    return { contents, opened };
  };

  it('lets navigation stay on our origin', () => {
    const { contents, opened } = setup();
    const event = navigation('app://switchboard/index.html');
    contents.emit('will-frame-navigate', event);
    expect(event.prevented).toBe(false);
    expect(opened).toEqual([]);
  });

  it('stops navigation away; http(s) opens in the system browser, anything else nowhere', () => {
    const { contents, opened } = setup();
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://evil/']) {
      const event = navigation(url);
      contents.emit('will-frame-navigate', event);
      expect(event.prevented, url).toBe(true);
    }
    expect(opened).toEqual(['https://example.com/']);
  });

  it('refuses redirects off our origin without opening them', () => {
    const { contents, opened } = setup();
    const event = navigation('https://example.com/');
    contents.emit('will-redirect', event);
    expect(event.prevented).toBe(true);
    expect(opened).toEqual([]);
  });

  it('never opens a new window; http(s) links go to the system browser', () => {
    const { contents, opened } = setup();
    for (const url of ['https://example.com/a', 'app://switchboard/index.html', 'file:///x', 'smb://host/share']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('refuses webviews', () => {
    const { contents } = setup();
    const event = navigation('');
    contents.emit('will-attach-webview', event);
    expect(event.prevented).toBe(true);
  });
});

describe('guardSession', () => {
  it('installs deny-by-default request, check and device handlers', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as unknown as Session;
    guardSession(session);

    const answers: boolean[] = [];
    const request = handlers.request as (wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
    request(null, 'media', (ok) => answers.push(ok), { requestingUrl: 'app://switchboard/index.html' });
    request(null, 'geolocation', (ok) => answers.push(ok), { requestingUrl: 'app://switchboard/index.html' });
    request(null, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: 'app://switchboard/index.html' });
    request(null, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: 'https://evil.example/' });
    expect(answers).toEqual([false, false, true, false]);

    const check = handlers.check as (wc: unknown, p: string, origin: string) => boolean;
    expect(check(null, 'notifications', 'app://switchboard')).toBe(false);
    expect(check(null, 'fullscreen', 'app://switchboard')).toBe(true);
    expect((handlers.device as () => boolean)()).toBe(false);
  });
});
