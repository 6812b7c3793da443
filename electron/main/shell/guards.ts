import type { Session, WebContents } from 'electron';
import { decideNavigation, isPermissionAllowed } from './security';

/**
 * Applied to every webContents the app creates (app 'web-contents-created'), not just the main window, so a
 * future window cannot forget them: navigation stays on our origin, new windows are never opened (http/https
 * links go to the system browser), webviews are refused.
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  // will-frame-navigate covers the main frame and subframes (will-navigate would fire a second time for the main one).
  contents.on('will-frame-navigate', (event) => {
    const decision = decideNavigation(event.url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'external') openExternal(decision.url);
  });
  // Our origin never redirects; a redirect elsewhere is refused, not followed into the browser.
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url).action !== 'allow') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url);
    if (decision.action === 'external') openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Deny-by-default permissions for a session: requests, synchronous checks and device access. */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
