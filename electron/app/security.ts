// Electron's security checklist, applied in one place: CSP, no remote content,
// no navigation or new windows, no permissions, no webviews.
import { app, session, type WebContents } from 'electron';
import { contentSecurityPolicy } from './csp';

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy('egm-image:');

/** The one permission granted: writing text to the clipboard ("copy" buttons), and only to our own pages. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Call once after 'ready'. */
export function hardenSession(isAppUrl: (url: string) => boolean): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(contents.getURL())));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin));
  // The app has no remote content; the model server is reached from Node, not the page.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'] }, (details, callback) => {
    console.error(`blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: true });
  });
}

/** Every web contents, whichever created it: no navigation away, no popups, no webviews. */
export function hardenWebContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
