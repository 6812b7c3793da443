import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../core/serve/appHandler';

/**
 * The shell's security decisions in one place (ARCHITECTURE.md, convention 14). Everything here is pure, so the
 * tests check the exact policy without Electron.
 */

/** The app id of the installers (electron-builder.yml, checked by its test) and Windows' AppUserModelID. */
export const APP_ID = 'com.switchboard.desktop';

/** The renderer's origin. A fixed host keeps the origin stable, so localStorage and the sender check work. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The CSP sent with every app:// response (core/serve/appHandler.ts builds both modes' policies): RPC goes over IPC,
 * so there is nothing to connect to; attachments come from our own origin (/media/<id>).
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for our renderer's origin. Node's URL gives custom schemes the origin "null", so the scheme and host
 * are compared instead; a port or credentials would make it a different origin and are refused.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The URL to hand to the system browser, or null: only http(s), never credentials in the URL. */
export function externalUrl(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

/** Where a navigation or window-open request goes: stay (our origin), the system browser, or nowhere. */
export type NavigationDecision = { action: 'allow' } | { action: 'external'; url: string } | { action: 'deny' };

export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  const external = externalUrl(url);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}

/**
 * Deny by default. Notifications are raised by the main process (shell/notifications.ts), so the page needs no
 * notification permission; it may only write to the clipboard (copy a message) and make a video full screen.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'fullscreen']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** The main window's options: Electron's security checklist, with nothing left to a default. */
export function mainWindowOptions(preloadPath: string, bounds: { x?: number; y?: number; width: number; height: number }): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Switchboard',
    backgroundColor: '#1e1f22',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      safeDialogs: true,
    },
  };
}
