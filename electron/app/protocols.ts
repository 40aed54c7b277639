// Two custom protocols carry everything the window loads, so no file:// URL and
// no remote origin is ever used:
//   egm-app://app/<file>   the built renderer (dist/renderer), with the CSP header
//   egm-image://image/<token>/<id> a project image, by the open project's token and image id only,
//                          through serve.ts (?thumb=1: its thumbnail)
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { IMAGE_PROTOCOL } from '@ipc/contract';
import { ImageServer, ServeError, type ImageSource } from '../images/serve';
import { CONTENT_SECURITY_POLICY } from './security';
import { mimeType, rendererFile } from './static-files';

export const APP_PROTOCOL = 'egm-app';
export const APP_ORIGIN = `${APP_PROTOCOL}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Must run before app 'ready': standard + secure so module scripts, fetch and CSP 'self' work. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: IMAGE_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

export function handleProtocols(rendererDir: string, currentStore: () => ImageSource | null): void {
  protocol.handle(APP_PROTOCOL, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return text(404, 'unknown host');
    // Confined to the renderer folder: '..' segments cannot climb out.
    const file = rendererFile(rendererDir, url.pathname);
    if (!file) return text(404, 'outside the app');
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': mimeType(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return text(404, `not found: ${url.pathname}`);
    }
  });

  const images = new ImageServer();
  protocol.handle(IMAGE_PROTOCOL, async (request) => {
    try {
      const url = new URL(request.url);
      if (url.host !== 'image') throw new ServeError(404, `unknown image host '${url.host}'`);
      // ?thumb=1 asks for the thumbnail (the image list); any other query (?v=) is a cache buster.
      const served = await images.serveRequest(currentStore(), ImageServer.parseRequest(url.pathname.slice(1), url.searchParams));
      return new Response(served.bytes, {
        headers: {
          'content-type': served.mimeType,
          // Same bytes for an id until the file changes; the renderer adds ?v= after edits.
          'cache-control': 'no-cache',
          'access-control-allow-origin': APP_ORIGIN,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch (err) {
      const status = err instanceof ServeError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status === 500) console.error(`egm-image: ${message}`);
      return text(status, message);
    }
  });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
