// The model catalog (models/catalog.json): which models the app knows, where
// they come from and which files make up each dtype. Validated with zod on load
// so a hand edit that breaks the shape fails with the field's path, not later
// in the middle of a download.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { firstIssue } from '@core/errors';
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

/** Dtypes the builder (electron/models/build) writes; kept here so the catalog loads without it. */
export const BUILDABLE_DTYPES = ['fp32', 'fp16', 'q4f16'] as const;

/** A model published as safetensors that the app downloads and builds into ONNX itself (status 'build'). */
const BuildSchema = z.strictObject({
  dtypes: z.array(z.enum(BUILDABLE_DTYPES)).min(1),
  /** Estimated installed size per dtype (the built folder), shown only. */
  approxOutput: z.partialRecord(z.enum(BUILDABLE_DTYPES), z.number().int().nonnegative()).optional(),
});

const EntrySchema = z
  .strictObject({
    id: z.string().regex(/^(?!\.)[\w.-]+\/(?!\.)[\w.-]+$/, 'must look like owner/name'),
    name: z.string().min(1),
    /**
     * ready: ONNX on the hub; build: safetensors on the hub, downloaded and built
     * into ONNX by the app; needs export: no way to download it here (the entry's
     * exportCommand says how to make it).
     */
    status: z.enum(['ready', 'build', 'needs export']),
    source: SourceSchema,
    license: z.string(),
    baseModel: z.string().optional(),
    egmTuned: z.boolean(),
    architecture: z.string().optional(),
    description: z.string(),
    defaultDtype: z.string().optional(),
    dtypes: z.record(z.string(), DtypeSchema).optional(),
    build: BuildSchema.optional(),
    exportCommand: z.string().optional(),
    exportId: z.string().optional(),
    approxSourceSize: z.number().int().nonnegative().optional(),
    serve: z.array(z.string()).optional(),
    notes: z.array(z.string()).optional(),
  })
  .superRefine((entry, ctx) => {
    const building = entry.status === 'build';
    if (building && !entry.build) ctx.addIssue({ code: 'custom', message: "status 'build' needs build (the dtypes to build)", path: ['build'] });
    if (!building && entry.build) ctx.addIssue({ code: 'custom', message: "build is for status 'build' only", path: ['build'] });
    if (!building && entry.status !== 'needs export' && !entry.dtypes) ctx.addIssue({ code: 'custom', message: `status '${entry.status}' needs dtypes`, path: ['dtypes'] });
    if (building && entry.dtypes) ctx.addIssue({ code: 'custom', message: "a model built locally lists build.dtypes, not dtypes", path: ['dtypes'] });
    if (entry.status !== 'ready' && !building && !entry.exportCommand) ctx.addIssue({ code: 'custom', message: 'needs an exportCommand', path: ['exportCommand'] });
    if ((entry.status === 'ready' || building) && !('repo' in entry.source)) ctx.addIssue({ code: 'custom', message: `a model with status '${entry.status}' needs source.repo`, path: ['source'] });
    const dtypeNames = building ? (entry.build?.dtypes ?? []) : Object.keys(entry.dtypes ?? {});
    if (entry.defaultDtype && !(dtypeNames as string[]).includes(entry.defaultDtype)) {
      ctx.addIssue({ code: 'custom', message: `defaultDtype '${entry.defaultDtype}' is not in ${building ? 'build.dtypes' : 'dtypes'}`, path: ['defaultDtype'] });
    }
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

/** The dtypes a download can install: the listed ONNX files' or, for a model built locally, the builder's. */
export function entryDtypes(entry: CatalogEntry): string[] {
  return entry.status === 'build' ? [...(entry.build?.dtypes ?? [])] : Object.keys(entry.dtypes ?? {});
}

/** The dtype to use: the one asked for, else the entry's default, else the only one. */
export function resolveDtype(entry: CatalogEntry, dtype?: string): string {
  const dtypes = entryDtypes(entry);
  const chosen = dtype ?? entry.defaultDtype ?? (dtypes.length === 1 ? dtypes[0] : undefined);
  if (!chosen) throw new Error(`${entry.id}: choose a dtype (${dtypes.join(', ') || 'none listed'})`);
  if (!dtypes.includes(chosen)) throw new Error(`${entry.id}: no dtype '${chosen}' (available: ${dtypes.join(', ') || 'none'})`);
  return chosen;
}
