// Fixtures for the project CLI tests: a temp folder whose name has spaces and
// non-ASCII, the real sample photos copied under it, one EXIF-rotated JPEG,
// and an in-process `egm` runner that captures stdout/stderr.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../electron/cli/run-cli';
import { solidJpeg } from '../helpers/make-images';

export const SAMPLES = fileURLToPath(new URL('../../assets/samples', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (undefined when it is empty). */
  json: Record<string, unknown> & { skipped?: { path: string; reason: string }[] };
}

export async function egm(cwd: string, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    env: process.env,
    cwd,
  });
  return { code, stdout, stderr, json: stdout.trim() ? JSON.parse(stdout) : undefined };
}

export interface Workspace {
  root: string;
  /** "images dir ✓" under root: the JPEG samples, a PNG in a sub folder, and rotated.jpg. */
  images: string;
  sampleFiles: string[];
  cleanup: () => void;
}

/** rotated.jpg is stored 60×30 with EXIF orientation 6: displayed 30×60. */
export async function makeWorkspace(): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), 'egm cli é-'));
  const images = join(root, 'images dir ✓');
  mkdirSync(join(images, 'png ü'), { recursive: true });
  const sampleFiles: string[] = [];
  for (const name of readdirSync(SAMPLES)) {
    if (name.endsWith('.jpg')) {
      copyFileSync(join(SAMPLES, name), join(images, name));
      sampleFiles.push(name);
    }
  }
  copyFileSync(join(SAMPLES, 'chelsea.png'), join(images, 'png ü', 'chelsea.png'));
  sampleFiles.push('png ü/chelsea.png');
  writeFileSync(join(images, 'rotated.jpg'), await solidJpeg(60, 30, 6));
  sampleFiles.push('rotated.jpg');
  return { root, images, sampleFiles, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
