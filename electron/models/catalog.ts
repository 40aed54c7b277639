// The model catalog (models/catalog.json): which models the app knows, where
// they come from and which files make up each dtype. Validated with zod on load
// so a hand edit that breaks the shape fails with the field's path, not later
// in the middle of a download.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { firstIssue } from '../core/errors';
import bundledCatalog from '../../models/catalog.json';

const FileSchema = z.strictObject({
  /** Path inside the repository / model folder, forward slashes. */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), 'must be a relative path without ".."'),
  /** Exact size in bytes: enforced by the download. */
  size: z.number().int().nonnegative().optional(),
  /** Estimated size in bytes: shown, never enforced (to be verified). */
  approxSize: z.number().int().nonnegative().optional(),
  /** Expected sha256 (hex): enforced by the download. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** A 404 for an optional file is skipped rather than failing the install. */
  optional: z.boolean().optional(),
  note: z.string().optional(),
});

const DtypeSchema = z.strictObject({
  files: z.array(FileSchema).min(1),
  approxTotal: z.number().int().nonnegative().optional(),
});

const SourceSchema = z.union([
  z.strictObject({ repo: z.string().regex(/^(?!\.)[\w.-]+\/(?!\.)[\w.-]+$/), revision: z.string().min(1) }),
  z.strictObject({ exportOf: z.string().min(1) }),
]);

const EntrySchema = z
  .strictObject({
    id: z.string().regex(/^(?!\.)[\w.-]+\/(?!\.)[\w.-]+$/, 'must look like owner/name'),
    name: z.string().min(1),
    /** ready: ONNX on the hub; needs export: safetensors only; export output: made locally by the export script. */
    status: z.enum(['ready', 'needs export', 'export output']),
    source: SourceSchema,
    license: z.string(),
    baseModel: z.string().optional(),
    egmTuned: z.boolean(),
    architecture: z.string().optional(),
    description: z.string(),
    defaultDtype: z.string().optional(),
    dtypes: z.record(z.string(), DtypeSchema).optional(),
    exportCommand: z.string().optional(),
    exportId: z.string().optional(),
    approxSourceSize: z.number().int().nonnegative().optional(),
    serve: z.array(z.string()).optional(),
    notes: z.array(z.string()).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.status !== 'needs export' && !entry.dtypes) ctx.addIssue({ code: 'custom', message: `status '${entry.status}' needs dtypes`, path: ['dtypes'] });
    if (entry.status !== 'ready' && !entry.exportCommand) ctx.addIssue({ code: 'custom', message: 'needs an exportCommand', path: ['exportCommand'] });
    if (entry.status === 'ready' && !('repo' in entry.source)) ctx.addIssue({ code: 'custom', message: 'a ready model needs source.repo', path: ['source'] });
    if (entry.defaultDtype && !entry.dtypes?.[entry.defaultDtype]) ctx.addIssue({ code: 'custom', message: `defaultDtype '${entry.defaultDtype}' is not in dtypes`, path: ['defaultDtype'] });
  });

const CatalogSchema = z
  .strictObject({ version: z.literal(1), note: z.string().optional(), models: z.array(EntrySchema) })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.models.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate id '${m.id}'`, path: ['models', i, 'id'] });
      seen.add(m.id);
    });
  });

export type CatalogFile = z.infer<typeof FileSchema>;
export type CatalogDtype = z.infer<typeof DtypeSchema>;
export type CatalogEntry = z.infer<typeof EntrySchema>;
export type Catalog = z.infer<typeof CatalogSchema>;

/** Validates a parsed catalog; throws one line naming the first bad field. */
export function parseCatalog(value: unknown, where = 'catalog'): Catalog {
  const result = CatalogSchema.safeParse(value);
  if (!result.success) throw new Error(`${where}: ${firstIssue(result.error, '(root)')}`);
  return result.data;
}

let cached: Catalog | undefined;

/** The catalog shipped with the app (bundled at build time). */
export function bundledModelCatalog(): Catalog {
  cached ??= parseCatalog(bundledCatalog, 'models/catalog.json');
  return cached;
}

/** A catalog from a file (tests, or a user-supplied catalog). */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`catalog ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`catalog ${path}: not JSON (${(err as Error).message})`);
  }
  return parseCatalog(json, `catalog ${path}`);
}

export function findEntry(catalog: Catalog, id: string): CatalogEntry {
  const entry = catalog.models.find((m) => m.id === id);
  if (!entry) throw new Error(`unknown model '${id}' (known: ${catalog.models.map((m) => m.id).join(', ')})`);
  return entry;
}

/** The dtype to use: the one asked for, else the entry's default, else the only one. */
export function resolveDtype(entry: CatalogEntry, dtype?: string): string {
  const dtypes = Object.keys(entry.dtypes ?? {});
  const chosen = dtype ?? entry.defaultDtype ?? (dtypes.length === 1 ? dtypes[0] : undefined);
  if (!chosen) throw new Error(`${entry.id}: choose a dtype (${dtypes.join(', ') || 'none listed'})`);
  if (!entry.dtypes?.[chosen]) throw new Error(`${entry.id}: no dtype '${chosen}' (available: ${dtypes.join(', ') || 'none'})`);
  return chosen;
}
