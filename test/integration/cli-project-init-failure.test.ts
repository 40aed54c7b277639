// A failed `egm init --images` leaves no project file behind. The image walk is
// made to fail after the project file exists (a real unreadable folder cannot
// be made when tests run as root, who reads every folder).
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

vi.mock('../../electron/images/collect', () => ({
  addImagesToStore: async () => {
    throw new Error('/somewhere/inner: cannot list folder (EACCES)');
  },
}));

let ws: Workspace;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

it('removes the new project file (and its WAL files) when adding the images fails', async () => {
  const run = await egm(ws.root, 'init', 'a.egm', '--images', 'images dir ✓');
  expect(run.code).toBe(1);
  expect(run.stderr).toBe('egm init: /somewhere/inner: cannot list folder (EACCES)\n');
  expect(readdirSync(ws.root).filter((f) => f.startsWith('a.egm'))).toEqual([]);
  // Nothing left over blocks the next init of the same path.
  const again = await egm(ws.root, 'init', 'a.egm');
  expect(again.code).toBe(0);
});
