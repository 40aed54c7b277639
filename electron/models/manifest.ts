// egm-model.json: the marker that a model folder is installed, and what is in
// it. A folder without it (or without the dtype in it) is not installed, which
// is how a half-finished download or build never looks usable. The model
// builder (electron/models/build, egm model build) writes the same format.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { firstIssue } from '@core/errors';
import { writeFileDurably } from './durable';

const MANIFEST_NAME = 'egm-model.json';

const InstalledFileSchema = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * What the file was checked against: the catalog's sha256, the hub's sha256
   * ETag (LFS files), the hub's git blob sha1 ETag (small files), or the export
   * script's own record. 'computed' (nothing to check against, hash recorded)
   * is only in manifests of older versions: downloads now refuse such a file.
   */
  verifiedBy: z.enum(['catalog', 'hub-etag', 'hub-git-sha1', 'computed', 'export']),
});

const ManifestSchema = z.object({
  format: z.literal(1),
  id: z.string().min(1),
  /** e.g. "hub:onnx-community/Qwen3-VL-2B-Instruct-ONNX@main" or "export:nvidia/EGM-8B". */
  source: z.string(),
  dtypes: z.record(
    z.string(),
    z.object({
      installedAt: z.string(),
      files: z.array(InstalledFileSchema),
      /** Optional catalog files the source did not have (404), so they are known absent. */
      absent: z.array(z.string()).default([]),
    }),
  ),
});

export type InstalledFile = z.infer<typeof InstalledFileSchema>;
export type ModelManifest = z.infer<typeof ManifestSchema>;

/** The manifest of a folder, or null when there is none; a corrupt one throws. */
export async function readManifest(dir: string): Promise<ModelManifest | null> {
  const path = join(dir, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: ${firstIssue(parsed.error, '(root)')}`);
  return parsed.data;
}

/** Write, fsync, rename, fsync the folder: a crash or power cut leaves the old manifest or the new one, never half. */
export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  await writeFileDurably(join(dir, MANIFEST_NAME), dir, `${JSON.stringify(manifest, null, 2)}\n`);
}

export interface InstalledModel {
  id: string;
  dir: string;
  source: string;
  dtypes: string[];
  bytes: number;
}

/**
 * Installed models under destRoot: each sub-folder with a readable manifest.
 * Folders with a broken manifest are reported in `problems`, not skipped silently.
 */
export async function listInstalled(destRoot: string): Promise<{ models: InstalledModel[]; problems: string[] }> {
  let names: string[];
  try {
    names = await readdir(destRoot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { models: [], problems: [] };
    throw new Error(`models folder ${destRoot}: ${(err as Error).message}`);
  }
  const models: InstalledModel[] = [];
  const problems: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue; // .staging and other private folders
    const dir = join(destRoot, name);
    try {
      const manifest = await readManifest(dir);
      if (!manifest) continue;
      const dtypes = Object.keys(manifest.dtypes).sort();
      const bytes = Object.values(manifest.dtypes)
        .flatMap((d) => d.files)
        .reduce((seen, f) => seen.set(f.path, f.size), new Map<string, number>());
      models.push({ id: manifest.id, dir, source: manifest.source, dtypes, bytes: [...bytes.values()].reduce((a, b) => a + b, 0) });
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { models, problems };
}
