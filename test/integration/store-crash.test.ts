// Kills a process that is editing a project with SIGKILL at random moments,
// many times, and checks after each kill that every edit whose call had
// returned (acknowledged on stdout) is in the file, and that the file is sound.
// The one edit in flight at the kill may or may not have landed, but whole.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '../../electron/core/types';
import { openProjectStore } from '../../electron/store/project-store';
import type { CrashOp } from '../helpers/store-crash-child';
import { tempDir } from '../helpers/store-temp';

const ROUNDS = 30;
const CHILD = join(__dirname, '..', 'helpers', 'store-crash-child.ts');
const ROOT = join(__dirname, '..', '..');

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('egm-crash-');
});
afterAll(() => tmp.cleanup());

type Ack = { op: 'ready' } | { op: 'create' | 'update'; annotation: Annotation } | { op: 'delete'; ids: number[] };

/** Runs the child until it has been editing for `delayMs`, SIGKILLs it, and returns its stdout lines. */
function runAndKill(file: string, seed: number, delayMs: number): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(seed)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!timer && out.includes('ack {"op":"ready"}')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself (code ${code}): ${err.split('\n')[0]}`));
      // A line cut by the kill has no trailing newline: drop it, it was never a complete ack.
      else resolvePromise(out.split('\n').slice(0, -1));
    });
  });
}

describe('store crash safety', () => {
  it(`keeps every acknowledged edit through ${ROUNDS} SIGKILLs`, async () => {
    const file = join(tmp.dir, 'crash.egm');
    const store = openProjectStore(file, { create: true });
    const images = [1, 2, 3].map((i) => {
      const path = join(tmp.dir, `${i}.jpg`);
      writeFileSync(path, 'x');
      return { absolutePath: path, width: 800, height: 600, orientation: 1 };
    });
    store.addImages(images);
    store.close();

    const model = new Map<number, Annotation>();
    let acked = 0;
    let inFlightAtKill = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const seed = 1000 + round;
      const lines = await runAndKill(file, seed, 5 + Math.floor(Math.random() * 150));
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

      const check = new Database(file);
      expect(check.pragma('integrity_check', { simple: true }), `round ${round} (seed ${seed})`).toBe('ok');
      check.close();
      const reopened = openProjectStore(file);
      const actual = new Map(reopened.allAnnotations().map((a) => [a.id, a]));
      reopened.close();
      expectMatches(model, actual, pending, `round ${round} (seed ${seed})`);
      // The in-flight edit, if it landed, is now part of what later rounds must keep.
      model.clear();
      for (const [id, a] of actual) model.set(id, a);
    }
    // Not vacuous: the children really did edit, and some kills did land mid-edit.
    expect(acked).toBeGreaterThan(ROUNDS * 5);
    console.log(`store-crash: ${ROUNDS} kills, ${acked} acknowledged edits checked, ${inFlightAtKill} kills with an edit in flight`);
  });
});

function expectMatches(model: Map<number, Annotation>, actual: Map<number, Annotation>, pending: CrashOp | null, where: string): void {
  const differing = [...new Set([...model.keys(), ...actual.keys()])].filter(
    (id) => JSON.stringify(model.get(id)) !== JSON.stringify(actual.get(id)),
  );
  if (differing.length === 0) return;
  // Only the single unacknowledged edit may show, and only completely.
  expect(pending, `${where}: annotations ${differing.join(', ')} differ from the acknowledged edits`).not.toBeNull();
  if (pending!.op === 'create') {
    expect(differing, where).toHaveLength(1);
    const created = actual.get(differing[0]!);
    expect(model.has(differing[0]!), where).toBe(false);
    expect(created, where).toMatchObject({ phrase: pending!.input.phrase, visible: pending!.input.visible, amodal: pending!.input.amodal });
  } else if (pending!.op === 'update') {
    expect(differing, where).toEqual([pending!.id]);
    const { updatedAt: _a, ...was } = model.get(pending!.id)!;
    const { updatedAt: _b, ...now } = actual.get(pending!.id)!;
    expect(now, where).toEqual({ ...was, ...pending!.patch });
  } else {
    // A delete is one transaction: either all its ids are gone or none.
    expect(differing.sort(), where).toEqual(pending!.ids.filter((id) => model.has(id)).sort());
    for (const id of differing) expect(actual.has(id), where).toBe(false);
  }
}
