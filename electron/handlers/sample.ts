// The sample project: <userData>/sample/sample.egm over copies of the bundled
// sample images. The bundled folder may be read-only (inside an installed app),
// and the project stores image paths relative to itself, so the images are
// copied next to it on first use rather than referenced where they lie.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ProjectInfo } from '@core/types';
import { IMAGE_EXTENSIONS, addImagesToStore, type AddProgress } from '../images/collect';
import type { ProjectSession } from './session';

const SAMPLE_PROJECT_FILE = 'sample.egm';

export function sampleProjectPath(userDataDir: string): string {
  return join(userDataDir, 'sample', SAMPLE_PROJECT_FILE);
}

/** Bundled sample image file names, sorted so the project's order is stable. */
async function listSampleImages(samplesDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(samplesDir);
  } catch (err) {
    throw new Error(`sample images folder ${samplesDir} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const images = names.filter((name) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase())).sort();
  if (images.length === 0) throw new Error(`sample images folder ${samplesDir} holds no images`);
  return images;
}

/**
 * Opens the sample project, creating it on first use. Idempotent and self-healing:
 * a sample image missing from the copy (first run, or an earlier run that was
 * interrupted) is copied again, and images not yet in the project are added
 * (the store skips the ones it already has).
 */
export async function openSampleProject(
  session: ProjectSession,
  samplesDir: string,
  userDataDir: string,
  onProgress?: (progress: AddProgress) => void,
): Promise<ProjectInfo> {
  const names = await listSampleImages(samplesDir);
  const projectPath = sampleProjectPath(userDataDir);
  const imagesDir = join(projectPath, '..', 'images');
  await mkdir(imagesDir, { recursive: true });
  const copies: string[] = [];
  for (const name of names) {
    const target = join(imagesDir, name);
    if (!(await exists(target))) await copyFile(join(samplesDir, name), target);
    copies.push(target);
  }
  const store = session.open(projectPath, { create: !(await exists(projectPath)) });
  if (store.info().imageCount < copies.length) await addImagesToStore(store, copies, { onProgress });
  return store.info();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
