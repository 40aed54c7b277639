// The real `egm` process, started from source with tsx (dist/ may not be built):
// exit codes, JSON on stdout, progress and one-line errors on stderr.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type Workspace } from './cli-project-helpers';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** `npx tsx electron/cli/egm.ts ...` run in the repository (where npx finds tsx); paths are absolute. */
function egmProcess(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'electron/cli/egm.ts', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return result;
}

let ws: Workspace;
beforeAll(async () => {
  ws = await makeWorkspace();
});
afterAll(() => ws.cleanup());
const at = (name: string) => join(ws.root, name);

describe('egm as a process', () => {
  it('inits, exports and re-imports a project from the shell', () => {
    const init = egmProcess('init', at('shell é.egm'), '--images', ws.images);
    expect(init.stderr).toMatch(/probed images \d+\/\d+\n$/);
    expect(init.status).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ added: ws.sampleFiles.length, skipped: [] });

    const exported = egmProcess('export', at('shell é.egm'), '--coco', at('out.json'));
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ images: ws.sampleFiles.length });
    expect(JSON.parse(readFileSync(join(ws.root, 'out.json'), 'utf8')).images).toHaveLength(ws.sampleFiles.length);

    // file_name is relative to the project's images root (issue 9): the import is told that folder.
    const imported = egmProcess('import', at('shell é.egm'), '--coco', at('out.json'), '--images', ws.images);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ images: 0, existingImages: ws.sampleFiles.length });
  });

  it('exits non-zero with one line on stderr and nothing on stdout', () => {
    writeFileSync(join(ws.root, 'bad.json'), '{"images": [}');
    const run = egmProcess('import', at('shell é.egm'), '--coco', at('bad.json'));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^egm import: .*bad\.json: invalid JSON at line 1, column 13: Unexpected token [^\n]*\n$/);
    const usage = egmProcess('export', at('shell é.egm'));
    expect(usage.status).toBe(2);
  });
});
