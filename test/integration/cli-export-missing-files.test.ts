// Issue 16, item 4 in the CLI: `egm export` in every format still writes the
// images whose files are gone, names them all in its report (missingFiles)
// and says so in one line on stderr; with every file there, it says nothing.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

let ws: Workspace;
beforeEach(async () => {
  ws = await makeWorkspace();
  expect((await egm(ws.root, 'init', 'p.egm', '--images', 'images dir ✓')).code).toBe(0);
});
afterEach(() => ws.cleanup());

describe('egm export with image files missing', () => {
  it('exports every image and names the ones whose files are gone, in each format', async () => {
    const clean = await egm(ws.root, 'export', 'p.egm', '--coco', 'clean.json');
    expect(clean.json.missingFiles).toEqual([]);
    expect(clean.stderr).not.toContain('missing');

    const gone = ['messi5.jpg', 'rotated.jpg'].map((name) => join(ws.images, name));
    for (const file of gone) rmSync(file);
    const coco = await egm(ws.root, 'export', 'p.egm', '--coco', 'out.json');
    expect(coco.code).toBe(0);
    expect((coco.json.missingFiles as { path: string }[]).map((m) => m.path).sort()).toEqual([...gone].sort());
    expect(coco.stderr).toMatch(/^egm export: written \(2 image files are missing: .*messi5\.jpg.*; exported all the same\)\n$/);
    const written = JSON.parse(readFileSync(join(ws.root, 'out.json'), 'utf8')) as { images: unknown[] };
    expect(written.images).toHaveLength(ws.sampleFiles.length); // exported all the same

    for (const [flag, out] of [['--odvg', 'o.jsonl'], ['--qwenvl', 'q.jsonl'], ['--refcoco', 'refs']] as const) {
      const run = await egm(ws.root, 'export', 'p.egm', flag, out);
      expect(run.code, flag).toBe(0);
      expect((run.json.missingFiles as unknown[]).length, flag).toBe(2);
      expect(run.stderr, flag).toContain('2 image files are missing');
    }
  });
});
