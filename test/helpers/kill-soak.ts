// The kill soak (issue 8): a child process edits a project as fast as it can
// while this SIGKILLs it, `kills` times. After every kill the file must pass
// integrity_check and hold every edit whose call had returned (acknowledged on
// the child's stdout); the one edit in flight at the kill may or may not have
// landed, but whole. Shared by the test (test/integration/store-kill-soak.test.ts,
// which asserts nothing lost and no time) and the bench (bench/store-soak.bench.ts,
// which prints the figures).
//
// The child is bundled once with esbuild and run by plain node (~0.1 s a start
// instead of tsx's ~0.5 s).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import type { Annotation } from '@core/types';
import { openProjectStore } from '../../electron/store/project-store';
import type { CrashOp } from './store-crash-child';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the repository so the bundle resolves better-sqlite3 from node_modules.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'egm-tests');
const CHILD = join(BUNDLE_DIR, 'store-crash-child.mjs');
/**
 * A child that never says it is ready has hung (not merely slow): the round
 * fails saying so instead of waiting for ever. Generous on purpose: a loaded
 * machine starts a node process in seconds, not minutes.
 */
const CHILD_START_LIMIT_MS = 120_000;

export interface SoakResult {
  kills: number;
  /** Acknowledged edits checked. */
  acked: number;
  /** Kills that landed with an edit in flight. */
  inFlightAtKill: number;
  /** Acknowledged edits missing or torn: must be 0. */
  lost: number;
  /** What went wrong, per round (the first few are enough to debug). */
  problems: string[];
  seconds: number;
}

/** Bundles the crash child (once per process). */
export async function bundleCrashChild(): Promise<void> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'test', 'helpers', 'store-crash-child.ts')],
    outfile: CHILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
}

type Ack = { op: 'ready' } | { op: 'create' | 'update'; annotation: Annotation } | { op: 'delete'; ids: number[] };

/** Runs the child until it has been editing for `delayMs`, SIGKILLs it, and returns its complete stdout lines. */
function runAndKill(file: string, seed: number, delayMs: number): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const hung = setTimeout(() => {
      err = `never said it was ready in ${CHILD_START_LIMIT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, CHILD_START_LIMIT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!timer && out.includes('ack {"op":"ready"}')) {
        clearTimeout(hung);
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hung);
      if (signal !== 'SIGKILL' || !timer) reject(new Error(`crash child ended before its kill (code ${code}, signal ${signal}): ${err.split('\n')[0]}`));
      // A line cut by the kill has no trailing newline: drop it, it was never a complete ack.
      else resolvePromise(out.split('\n').slice(0, -1));
    });
  });
}

/** A project with three images, for the soak to edit. */
export function soakProject(dir: string): string {
  const file = join(dir, 'soak.egm');
  const store = openProjectStore(file, { create: true });
  const images = [1, 2, 3].map((i) => {
    const path = join(dir, `${i}.jpg`);
    writeFileSync(path, 'x');
    return { absolutePath: path, width: 800, height: 600, orientation: 1 };
  });
  store.addImages(images);
  store.close();
  return file;
}

/** Kills the editing child `kills` times (bundleCrashChild first) and checks the file after each. */
export async function runKillSoak(file: string, kills: number): Promise<SoakResult> {
  const model = new Map<number, Annotation>();
  let acked = 0;
  let inFlightAtKill = 0;
  let lost = 0;
  const problems: string[] = [];
  const started = performance.now();
  for (let round = 0; round < kills; round++) {
    const seed = 1000 + round;
    // Mostly early kills (mid-startup and first edits), some later ones.
    const delay = round % 4 === 0 ? Math.floor(Math.random() * 120) : Math.floor(Math.random() * 25);
    const lines = await runAndKill(file, seed, delay);
    let pending: CrashOp | null = null;
    for (const line of lines) {
      const space = line.indexOf(' ');
      const kind = line.slice(0, space);
      const payload = JSON.parse(line.slice(space + 1)) as CrashOp | Ack;
      if (kind === 'will') {
        pending = payload as CrashOp;
        continue;
      }
      const ack = payload as Ack;
      pending = null;
      if (ack.op === 'ready') continue;
      acked += 1;
      if (ack.op === 'delete') for (const id of ack.ids) model.delete(id);
      else model.set(ack.annotation.id, ack.annotation);
    }
    if (pending) inFlightAtKill += 1;

    const check = new Database(file, { readonly: true });
    const integrity = check.pragma('integrity_check', { simple: true });
    check.close();
    if (integrity !== 'ok') problems.push(`round ${round} (seed ${seed}): integrity_check: ${String(integrity)}`);
    const reopened = openProjectStore(file);
    const actual = new Map(reopened.allAnnotations().map((a) => [a.id, a]));
    reopened.close();
    const missed = unexplained(model, actual, pending);
    lost += missed.length;
    for (const id of missed) problems.push(`round ${round} (seed ${seed}): annotation ${id} differs from its acknowledged state`);
    // The in-flight edit, if it landed, is now part of what later rounds must keep.
    model.clear();
    for (const [id, a] of actual) model.set(id, a);
  }
  return { kills, acked, inFlightAtKill, lost, problems, seconds: (performance.now() - started) / 1000 };
}

/**
 * Ids whose stored state differs from the acknowledged one and is not the
 * single in-flight edit landed whole: each is an acknowledged edit lost (or an
 * edit torn in half).
 */
function unexplained(model: Map<number, Annotation>, actual: Map<number, Annotation>, pending: CrashOp | null): number[] {
  const differing = [...new Set([...model.keys(), ...actual.keys()])].filter((id) => JSON.stringify(model.get(id)) !== JSON.stringify(actual.get(id)));
  if (differing.length === 0 || !pending) return differing;
  if (pending.op === 'create') {
    // Landed: exactly one new annotation, as asked.
    const [id, ...rest] = differing;
    const created = actual.get(id!);
    const whole = rest.length === 0 && !model.has(id!) && created !== undefined && created.phrase === pending.input.phrase && JSON.stringify(created.visible) === JSON.stringify(pending.input.visible);
    return whole ? [] : differing;
  }
  if (pending.op === 'update') {
    const was = model.get(pending.id);
    const now = actual.get(pending.id);
    if (differing.length !== 1 || differing[0] !== pending.id || !was || !now) return differing;
    const { updatedAt: _a, ...before } = was;
    const { updatedAt: _b, ...after } = now;
    return JSON.stringify(after) === JSON.stringify({ ...before, ...pending.patch }) ? [] : differing;
  }
  // A delete is one transaction: either all its ids are gone or none.
  const doomed = pending.ids.filter((id) => model.has(id)).sort((a, b) => a - b);
  const whole = JSON.stringify([...differing].sort((a, b) => a - b)) === JSON.stringify(doomed) && differing.every((id) => !actual.has(id));
  return whole ? [] : differing;
}
