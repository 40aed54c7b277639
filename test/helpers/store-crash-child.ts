// Child process of the store crash test: applies random edits to a project as
// fast as it can and reports each one on stdout — a `will` line before the call
// and an `ack` line after it returned — until the parent kills it with SIGKILL.
// Usage: node --import tsx test/helpers/store-crash-child.ts <project.egm> <seed>
// (the kill soak runs an esbuild bundle of it with plain node: faster to start)
import { writeSync } from 'node:fs';
import type { AnnotationInput, AnnotationPatch, Box } from '@core/types';
import { openProjectStore } from '../../electron/store/project-store';

export type CrashOp =
  | { op: 'create'; input: AnnotationInput }
  | { op: 'update'; id: number; patch: AnnotationPatch }
  | { op: 'delete'; ids: number[] };

const [file, seedArg] = process.argv.slice(2);
if (!file) throw new Error('usage: store-crash-child.ts <project.egm> <seed>');
let seed = Number(seedArg ?? 1) >>> 0 || 1;
// xorshift32: reproducible per round, so a failing round can be replayed from its seed.
const random = (): number => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
};
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
const box = (): Box => {
  const x = Math.round(random() * 500);
  const y = Math.round(random() * 500);
  return [x, y, x + 1 + Math.round(random() * 200), y + 1 + Math.round(random() * 200)];
};
// Synchronous write to fd 1: the line is in the pipe before the next edit starts.
// The pipe is non-blocking, so a parent slow to read (a loaded machine) makes
// writeSync throw EAGAIN or write part of the line: retry until all of it is in.
const say = (kind: 'will' | 'ack', payload: unknown): void => {
  let bytes = Buffer.from(`${kind} ${JSON.stringify(payload)}\n`);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
};

const store = openProjectStore(file);
const imageIds = store.listImages().map((image) => image.id);
const ids = store.allAnnotations().map((a) => a.id);
say('ack', { op: 'ready' });

for (;;) {
  const roll = random();
  if (roll < 0.45 || ids.length === 0) {
    const input: AnnotationInput = {
      imageId: pick(imageIds), categoryId: null, phrase: `object ${Math.floor(random() * 1e9)}`,
      visible: box(), amodal: random() < 0.5 ? box() : null, occluded: random() < 0.5,
      source: random() < 0.5 ? 'manual' : 'model', model: null, score: null, reviewed: false,
    };
    say('will', { op: 'create', input } satisfies CrashOp);
    const created = store.createAnnotation(input);
    ids.push(created.id);
    say('ack', { op: 'create', annotation: created });
  } else if (roll < 0.85) {
    const id = pick(ids);
    const patch: AnnotationPatch = { visible: box(), phrase: `edited ${Math.floor(random() * 1e9)}`, reviewed: random() < 0.5 };
    say('will', { op: 'update', id, patch } satisfies CrashOp);
    const updated = store.updateAnnotation(id, patch);
    say('ack', { op: 'update', annotation: updated });
  } else {
    const doomed = [...new Set([pick(ids), pick(ids)])];
    say('will', { op: 'delete', ids: doomed } satisfies CrashOp);
    store.deleteAnnotations(doomed);
    for (const id of doomed) ids.splice(ids.indexOf(id), 1);
    say('ack', { op: 'delete', ids: doomed });
  }
}
