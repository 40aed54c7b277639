// The harness's HTTP server on 127.0.0.1: the built renderer (dist/renderer)
// and project images at /image/<token>/<id> (?thumb=1: the thumbnail) through the same serve.ts as the app's
// egm-image:// protocol, under the app's CSP.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy } from '../../../electron/app/csp';
import { mimeType, rendererFile } from '../../../electron/app/static-files';
import { ImageServer, ServeError, type ImageSource } from '../../../electron/images/serve';

export interface HarnessServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

/** Server-side failures (500s) are pushed to `errors`, for tests to assert empty. */
export async function startServer(rendererDir: string, currentStore: () => ImageSource | null, errors: string[]): Promise<HarnessServer> {
  const images = new ImageServer();
  const csp = contentSecurityPolicy("'self'");
  const server = createServer((request, response) => {
    const send = (status: number, body: Buffer | string, type: string) => {
      response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache', 'content-security-policy': csp });
      response.end(body);
    };
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/image/')) {
        try {
          const served = await images.serveRequest(currentStore(), ImageServer.parseRequest(url.pathname.slice('/image/'.length), url.searchParams));
          return send(200, served.bytes, served.mimeType);
        } catch (err) {
          const status = err instanceof ServeError ? err.status : 500;
          if (status === 500) errors.push(`${url.pathname}: ${(err as Error).message}`);
          return send(status, (err as Error).message, 'text/plain; charset=utf-8');
        }
      }
      const file = rendererFile(rendererDir, url.pathname);
      if (!file) return send(404, 'outside the renderer', 'text/plain; charset=utf-8');
      try {
        return send(200, await readFile(file), mimeType(file));
      } catch {
        return send(404, `not found: ${url.pathname}`, 'text/plain; charset=utf-8');
      }
    })().catch((err: Error) => {
      errors.push(`${request.url}: ${err.message}`);
      if (!response.headersSent) send(500, err.message, 'text/plain; charset=utf-8');
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : done()));
      }),
  };
}
