// Starts the model host as a Node child process (CLI, tests, benches). The app
// uses Electron's utilityProcess instead, behind the same HostPort interface.
// Which file to run: from source (this file is .ts, run by tsx) the entry is
// host-entry.ts loaded through tsx; from the bundle (dist/cli/egm.mjs) it is
// dist/host/model-host.mjs. EGM_HOST_ENTRY overrides both.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isHostEvent, type HostEvent, type HostPort, type SpawnHost } from './protocol';

export interface HostEntry {
  path: string;
  execArgv: string[];
  /** Extra environment of the child (from source: where tsx finds the @core/@ipc aliases). */
  env?: NodeJS.ProcessEnv;
}

/** From source the child runs under tsx, which looks for tsconfig.json in its working folder; name the repo's outright. */
const SOURCE_ENV = { TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) };

/** tsx's loader by absolute URL, so the child finds it whatever its working folder. */
function tsxLoader(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

export function defaultHostEntry(env: NodeJS.ProcessEnv = process.env): HostEntry {
  const override = env.EGM_HOST_ENTRY;
  if (override) return override.endsWith('.ts') ? { path: resolve(override), execArgv: tsxLoader(), env: SOURCE_ENV } : { path: resolve(override), execArgv: [] };
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { path: join(dirname(here), 'host-entry.ts'), execArgv: tsxLoader(), env: SOURCE_ENV };
  // Bundled: this code lives in dist/<something>/x.mjs; the host is dist/host/model-host.mjs.
  return { path: resolve(dirname(here), '../host/model-host.mjs'), execArgv: [] };
}

/** Keeps the last bit of the host's stderr, so a crash can say what it printed last. */
const STDERR_TAIL = 4096;

export function nodeSpawn(entry: HostEntry = defaultHostEntry(), options: { onStderr?: (text: string) => void } = {}): SpawnHost {
  return () => {
    if (!existsSync(entry.path)) throw new Error(`model host entry ${entry.path} not found (run npm run build)`);
    const child = fork(entry.path, [], { execArgv: entry.execArgv, env: { ...process.env, ...entry.env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let tail = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      tail = (tail + text).slice(-STDERR_TAIL);
      options.onStderr?.(text);
    });
    const messageListeners: ((event: HostEvent) => void)[] = [];
    child.on('message', (message) => {
      if (isHostEvent(message)) for (const l of messageListeners) l(message);
    });
    const port: HostPort = {
      send(message) {
        if (child.connected) child.send(message);
      },
      onMessage(listener) {
        messageListeners.push(listener);
      },
      onExit(listener) {
        let told = false;
        const tell = (detail: string) => {
          if (told) return;
          told = true;
          listener(detail);
        };
        child.on('exit', (code, signal) => {
          const last = lastLine(tail);
          tell(`${signal ? `killed by ${signal}` : `exited with code ${code}`}${last ? ` (${last})` : ''}`);
        });
        child.on('error', (err) => tell(`failed to start: ${err.message.split('\n')[0]}`));
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
    return port;
  };
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .filter(Boolean);
  const line = lines.at(-1) ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
