// Maps a URL path to a file of the built renderer, confined to its folder.
// Shared by the app's egm-app:// protocol and the e2e harness's HTTP server.
// No 'electron' import: the harness and unit tests load it under plain Node.
import { extname, join, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names under rootDir ('/' → index.html), or null when the
 * path is malformed or would leave rootDir ('..', encoded or not, or a NUL byte).
 */
export function rendererFile(rootDir: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' || urlPath === '' ? '/index.html' : urlPath);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const root = resolve(rootDir);
  const file = resolve(join(root, relative));
  return file.startsWith(root + sep) ? file : null;
}
