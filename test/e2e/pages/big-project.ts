// A harness on a project written through the store at scale (test/helpers/big-project.ts),
// opened from the welcome page as a user would; close() also removes its files.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBigProject, type BigProject, type BigProjectOptions } from '../../helpers/big-project';
import { startHarness, type Harness } from '../harness';
import { ImageListPage } from './image-list.page';

export interface BigHarness {
  harness: Harness;
  project: BigProject;
  list: ImageListPage;
  close(): Promise<void>;
}

/** Writes the project (then `prepare` may add to it), starts the harness and opens the project. */
export async function openBigProject(options: BigProjectOptions, viewport: { width: number; height: number }, prepare?: (p: BigProject) => Promise<void>): Promise<BigHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'egm-big-'));
  let harness: Harness | undefined;
  try {
    const project = await makeBigProject(dir, options);
    await prepare?.(project);
    harness = await startHarness({ viewport, dialogs: { openProject: project.path } });
    const list = new ImageListPage(harness.page);
    await harness.page.getByTestId('welcome-open').click();
    await list.wb.waitReady();
    const opened = harness;
    return { harness: opened, project, list, close: async () => {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    } };
  } catch (err) {
    await harness?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
