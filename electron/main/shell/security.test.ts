import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, decideNavigation, externalUrl, isAppUrl, isPermissionAllowed, mainWindowOptions } from './security';

describe('isAppUrl', () => {
  it('accepts our origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://switchboard/assets/index.js?x=1#y')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'app://switchboard.evil.com/index.html',
      'app://switchboard:8080/index.html',
      'app://user:pw@switchboard/index.html',
      'file:///index.html',
      'http://switchboard/index.html',
      'https://example.com',
      'media://abc',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('externalUrl', () => {
  it('passes http and https links to the system browser', () => {
    expect(externalUrl('https://bandwidth.com/docs?a=1')).toBe('https://bandwidth.com/docs?a=1');
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
  });
  it('refuses every other scheme and credentials in the URL', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'data:text/html,x', 'https://user:pw@example.com', 'app://switchboard/', 'nonsense']) {
      expect(externalUrl(url), url).toBeNull();
    }
  });
});

describe('decideNavigation', () => {
  it('stays on our origin, sends http(s) out, denies the rest', () => {
    expect(decideNavigation('app://switchboard/index.html')).toEqual({ action: 'allow' });
    expect(decideNavigation('https://example.com/x')).toEqual({ action: 'external', url: 'https://example.com/x' });
    expect(decideNavigation('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(decideNavigation('app://elsewhere/')).toEqual({ action: 'deny' });
  });
});

describe('isPermissionAllowed', () => {
  it('denies by default and allows only harmless permissions from our origin', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://switchboard/index.html')).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'app://switchboard/')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'midi', 'hid', 'unknown']) {
      expect(isPermissionAllowed(permission, 'app://switchboard/index.html'), permission).toBe(false);
    }
    expect(isPermissionAllowed('fullscreen', 'https://example.com')).toBe(false);
    expect(isPermissionAllowed('fullscreen', undefined)).toBe(false);
  });
});

describe('mainWindowOptions', () => {
  it('sets every security option explicitly', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs', { width: 1000, height: 700 });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(options).toMatchObject({ width: 1000, height: 700, show: false });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  it('allows scripts from our origin only and nothing remote', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|unsafe-eval|\*/);
  });
  it('lets images and players load attachments from our own origin', () => {
    expect(directives.get('img-src')).toContain("'self'");
    expect(directives.get('media-src')).toContain("'self'");
  });
});
