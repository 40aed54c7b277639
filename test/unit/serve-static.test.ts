// Renderer file serving, shared by the app protocol and the harness server:
// confinement to the renderer folder, checked on paths and over real HTTP.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeType, rendererFile } from '../../electron/app/static-files';
import { startServer, type HarnessServer } from '../e2e/harness/server';

describe('rendererFile', () => {
  const root = join(tmpdir(), 'egm-root');
  it('maps paths inside the folder', () => {
    expect(rendererFile(root, '/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(rendererFile(root, '/a%20b.css')).toBe(join(root, 'a b.css'));
  });
  it('refuses anything that leaves it', () => {
    for (const bad of ['/../secret', '/%2e%2e/secret', '/assets/../../secret', '/%2E%2E%2Fsecret', '/..%2fsecret', '/%00', '/%E0%A4%A']) {
      expect(rendererFile(root, bad), bad).toBeNull();
    }
  });
  it('knows the types the renderer needs', () => {
    expect(mimeType('x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x/blob.bin')).toBe('application/octet-stream');
  });
});

/** Raw GET, so the path reaches the server exactly as written (fetch would normalise '..'). */
function get(origin: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${origin}/`, { path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('harness HTTP server', () => {
  let dir: string;
  let server: HarnessServer;
  const errors: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'egm-static-'));
    await mkdir(join(dir, 'renderer'));
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    server = await startServer(join(dir, 'renderer'), () => null, errors);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the renderer under the app CSP', async () => {
    const index = await get(server.origin, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>t</title>');
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const answer = await get(server.origin, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain('secret\n');
      expect(answer.body).not.toBe('secret');
    }
  });

  it('answers 404 for images without a project or with a bad id', async () => {
    expect((await get(server.origin, '/image/1')).status).toBe(404);
    expect((await get(server.origin, '/image/some-token/1')).status).toBe(404);
    expect((await get(server.origin, '/image/..%2f..%2fsecret.txt')).status).toBe(404);
    expect(errors).toEqual([]);
  });
});
