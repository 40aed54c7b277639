// The one IPC contract between the renderer and the main process.
// Each method has a zod schema for its request (validated in main, never
// trusted) and a response type. Preload exposes exactly these methods; main's
// handler table is checked against them with `satisfies IpcHandlers`.
// Pure module: imported by main, preload, renderer and tests.
import { z } from 'zod';
import { annotationFields, annotationSchema, BATCH_PHRASES_MAX, boxSchema, CATEGORY_NAME_MAX, PHRASE_MAX, evalKindSchema, idSchema, imageStatusSchema, pointSchema, proposalOrderSchema, proposalSchema } from '@core/schemas';
import { deviceSchema, settingsPatchSchema } from '@core/settings-schemas';
import { negativeSchema, type Negative } from '@core/negatives';
import { REFCOCO_NAME } from '@core/datasets/refcoco';
import type { EvalOutcome, KindSummary } from '@core/eval/summary';
import type {
  Annotation,
  BatchStatus,
  BoxKind,
  CatalogModelInfo,
  Category,
  HealthReport,
  ImageFileCheck,
  ImageRecord,
  MissingImageFile,
  ModelDownloadProgress,
  ModelStatus,
  ProjectInfo,
  Proposal,
  SettingsView,
  Skipped,
} from '@core/types';

const box = boxSchema;
const id = idSchema;
const nonEmptyPath = z.string().min(1).max(4096);
export const EXPORT_FORMATS = ['coco', 'refcoco', 'odvg', 'qwenvl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const exportFormat = z.enum(EXPORT_FORMATS);
const datasetName = z.string().regex(REFCOCO_NAME).max(100);

export const requestSchemas = {
  'project:create': z.object({ path: nonEmptyPath, imagesDir: nonEmptyPath.optional() }),
  'project:open': z.object({ path: nonEmptyPath }),
  'project:info': z.object({}),
  'project:sample': z.object({}),
  'images:add': z.object({ paths: z.array(nonEmptyPath).min(1).max(100_000) }),
  /**
   * Issue 11: every filter optional, all applied in SQL. unreviewed: an
   * unreviewed box or a proposal waiting for review; search: a case-insensitive
   * substring of the file name; categoryId: at least one box of that category.
   */
  'images:list': z.object({
    unreviewed: z.boolean().optional(),
    search: z.string().max(500).optional(),
    status: imageStatusSchema.optional(),
    hasProposals: z.boolean().optional(),
    categoryId: id.optional(),
  }),
  'images:setStatus': z.object({ id, status: imageStatusSchema }),
  /** Issue 16: whether the image's file can be shown now (one stat; `deep`: its header read too), asked when it is selected. */
  'images:checkFile': z.object({ id, deep: z.boolean().optional() }),
  'annotations:list': z.object({ imageId: id }),
  'annotations:create': z.object({ imageId: id, ...annotationFields, color: annotationFields.color.optional() }),
  'annotations:update': z.object({ id, patch: z.object(annotationFields).partial() }),
  'annotations:delete': z.object({ ids: z.array(id).min(1) }),
  'annotations:restore': z.object({ annotations: z.array(annotationSchema).min(1) }),
  'categories:list': z.object({}),
  'categories:ensure': z.object({ name: z.string().trim().min(1).max(CATEGORY_NAME_MAX) }),
  'categories:rename': z.object({ id, name: z.string().trim().min(1).max(CATEGORY_NAME_MAX) }),
  /** Issue 9: categories with their box counts; merge one into another; delete one, keeping or deleting its boxes. */
  'categories:usage': z.object({}),
  'categories:merge': z.object({ from: id, into: id }),
  'categories:delete': z.object({ id, boxes: z.enum(['keep', 'delete']) }),
  /** Issue 16: the boxes of a category, image by image, named before a merge or delete asks. */
  'categories:impact': z.object({ id }),
  /** Issue 16: the undo of a merge or delete: the category back under its id, its boxes with it. */
  'categories:restore': z.object({
    category: z.object({ id, name: z.string().trim().min(1).max(200) }),
    annotationIds: z.array(id).max(1_000_000),
    annotations: z.array(annotationSchema).max(1_000_000),
  }),
  /** Issue 18: the free attribute names the project's objects use. */
  'attributes:keys': z.object({}),
  'coco:export': z.object({ path: nonEmptyPath }),
  'coco:import': z.object({ path: nonEmptyPath, imagesDir: nonEmptyPath.optional() }),
  'dialog:openProject': z.object({}),
  'dialog:createProject': z.object({}),
  'dialog:pickImages': z.object({}),
  'dialog:saveCoco': z.object({}),
  'dialog:openCoco': z.object({}),
  'dialog:pickModelFolder': z.object({}),
  /** Issue 9: every export format, file names relative to imagesDir (default: the project's images root); the options of `egm export`. */
  'dataset:export': z.object({
    format: exportFormat,
    path: nonEmptyPath,
    imagesDir: nonEmptyPath.optional(),
    /** Issue 18: only the images marked done (`--only-done`). */
    onlyDone: z.boolean().optional(),
    dataset: datasetName.optional(),
    splitBy: datasetName.optional(),
    splits: z.string().max(500).optional(),
    /** Any whole number ≥ 0, as `--seed` takes. */
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  /** Where an export goes: a file, or for RefCOCO the root folder. */
  'dialog:saveExport': z.object({ format: exportFormat }),
  /** The folder export file names are relative to. */
  'dialog:pickImagesRoot': z.object({}),
  /** Issue 9: scores the loaded model on the project's reviewed boxes (one run at a time; 'eval:progress' events). */
  'eval:run': z.object({ kind: evalKindSchema }),
  'eval:cancel': z.object({}),

  // Grounding (issue 4). Settings persist per user; the API key goes to the OS keychain, never to settings.
  'model:getSettings': z.object({}),
  'model:setSettings': settingsPatchSchema,
  'model:status': z.object({}),
  'model:health': z.object({}),
  /**
   * Grounds one phrase on one image and stores the answer as a proposal; tokens
   * stream as 'ground:token' events tagged with queryId. A query cancelled
   * (ground:cancel, a project switch) answers { cancelled: true }, not an error.
   */
  'ground': z.object({
    queryId: z.string().min(1).max(100),
    imageId: id,
    phrase: z.string().trim().min(1).max(PHRASE_MAX),
    point: pointSchema.optional(),
  }),
  'ground:cancel': z.object({ queryId: z.string().min(1).max(100) }),
  /** The user selected this image: a loaded local model decodes it ahead of the query (fire-and-forget). */
  'ground:prefetch': z.object({ imageId: id }),
  'proposals:list': z.object({ imageId: id.optional(), order: proposalOrderSchema.optional() }),
  'proposals:accept': z.object({ id, visible: box.optional(), amodal: box.nullable().optional(), categoryId: id.nullable().optional() }),
  'proposals:reject': z.object({ id }),
  /** Undo of accept/reject: puts a proposal back with its id. */
  'proposals:restore': z.object({ proposal: proposalSchema }),
  'batch:start': z.object({ phrases: z.array(z.string().trim().min(1).max(PHRASE_MAX)).min(1).max(BATCH_PHRASES_MAX), imageIds: z.array(id).nullable(), concurrency: z.number().int().min(1).max(256).optional() }),
  'batch:cancel': z.object({}),
  'batch:resume': z.object({}),
  /** Puts the failed items of the last batch back to pending and runs them. */
  'batch:retryFailed': z.object({}),
  'batch:status': z.object({}),
  /** The model catalog with each model's installed state (EGM_CATALOG overrides the bundled catalog). */
  'model:catalog': z.object({}),
  /** Downloads a catalog model (one at a time; progress as 'model:download' events) and makes it the local model. */
  'model:download': z.object({
    id: z.string().min(1).max(200),
    dtype: z.string().min(1).max(32).optional(),
    /** Where the downloaded model runs; default: the saved local device, else 'auto'. */
    device: deviceSchema.optional(),
  }),
  'model:cancelDownload': z.object({ id: z.string().min(1).max(200) }),
  /** Issue 11: removes images from the project with their annotations and proposals (one transaction; files on disk untouched). */
  'images:remove': z.object({ ids: z.array(id).min(1).max(100_000) }),
  /** Issue 11: "object not in this image": a reviewed negative for a phrase on an image. */
  'negatives:add': z.object({ imageId: id, phrase: z.string().trim().min(1).max(PHRASE_MAX) }),
  'negatives:list': z.object({ imageId: id.optional() }),
  'negatives:remove': z.object({ id }),
  /** Undo of remove: puts a negative back under its id. */
  'negatives:restore': z.object({ negative: negativeSchema }),
  /** Rejects a proposal (typically one answered with no box) and records its phrase as not in the image, in one transaction. */
  'proposals:markAbsent': z.object({ id }),
  /** Issue 18, bulk review: accepts these proposals (each with the user's edited boxes, if any) in ONE transaction: all or none. */
  'proposals:acceptMany': z.object({ items: z.array(z.object({ id, visible: box.optional(), amodal: box.nullable().optional() })).min(1).max(100_000) }),
  /** Issue 18, bulk review: markAbsent for many proposals (all "no box" answers) in ONE transaction. */
  'proposals:markAbsentMany': z.object({ ids: z.array(id).min(1).max(100_000) }),
} as const;

/** The boxes of one category, image by image (at most 20 images named; imageCount counts them all). */
export interface CategoryImpact {
  boxes: number;
  images: { id: number; fileName: string; boxes: number }[];
  imageCount: number;
}

export interface CocoExportReport {
  path: string;
  images: number;
  annotations: number;
  categories: number;
  /** Phrases marked "not in this image" (issue 11), written as the images' neg_phrases. */
  negatives: number;
  /** Images exported whose files are not there (issue 16): the dataset names them, the files must be found. */
  missingFiles: MissingImageFile[];
}

export interface CocoImportReport {
  images: number;
  annotations: number;
  /** Annotations already in the project (same image, box, category and phrase: the file was imported before); not added again. */
  duplicates: number;
  categories: number;
  skipped: Skipped[];
  /** Image files read from outside the images folder because the user allowed it (empty otherwise). */
  outside: string[];
  /** "Not in this image" phrases (images' neg_phrases) added; ones the project already had are not counted. */
  negatives: number;
}

export interface ResponseMap {
  'project:create': ProjectInfo;
  'project:open': ProjectInfo;
  'project:info': ProjectInfo | null;
  /** Opens (creating on first use) the bundled sample project. */
  'project:sample': ProjectInfo;
  'images:add': { added: ImageRecord[]; skipped: Skipped[] };
  'images:list': ImageRecord[];
  'images:setStatus': ImageRecord;
  'images:checkFile': ImageFileCheck;
  'annotations:list': Annotation[];
  'annotations:create': Annotation;
  'annotations:update': Annotation;
  'annotations:delete': { deleted: number };
  'annotations:restore': Annotation[];
  'categories:list': Category[];
  'categories:ensure': Category;
  'categories:rename': Category;
  'categories:usage': (Category & { boxes: number })[];
  /** The category merged away and the boxes it moved (what its undo gives back). */
  'categories:merge': { moved: number; category: Category; annotationIds: number[] };
  /** The category deleted, the boxes kept without it (ids) or deleted with it (whole). */
  'categories:delete': { boxes: number; category: Category; annotationIds: number[]; annotations: Annotation[] };
  'categories:impact': CategoryImpact;
  'categories:restore': Category;
  'attributes:keys': string[];
  'coco:export': CocoExportReport;
  'coco:import': CocoImportReport;
  'dialog:openProject': string | null;
  'dialog:createProject': string | null;
  'dialog:pickImages': string[];
  'dialog:saveCoco': string | null;
  'dialog:openCoco': string | null;
  'dialog:pickModelFolder': string | null;
  /** The status line, and the images exported without a file on disk (issue 16). */
  'dataset:export': { path: string; message: string; missingFiles: MissingImageFile[] };
  'dialog:saveExport': string | null;
  'dialog:pickImagesRoot': string | null;
  'eval:run': EvalReport;
  'eval:cancel': { cancelled: boolean };
  'model:getSettings': SettingsView;
  'model:setSettings': ModelStatus;
  'model:status': ModelStatus;
  'model:health': HealthReport;
  'ground': { proposal: Proposal } | { cancelled: true };
  'ground:cancel': { cancelled: boolean };
  /** Whether a prefetch was started (a model that can prefetch is ready, the image exists). */
  'ground:prefetch': { started: boolean };
  'proposals:list': Proposal[];
  'proposals:accept': { annotation: Annotation; proposal: Proposal };
  'proposals:reject': Proposal;
  'proposals:restore': Proposal;
  'batch:start': BatchStatus;
  'batch:cancel': BatchStatus | null;
  'batch:resume': BatchStatus | null;
  'batch:retryFailed': BatchStatus;
  'batch:status': BatchStatus | null;
  'model:catalog': { modelsDir: string; models: CatalogModelInfo[]; problems: string[] };
  /** The installed folder, now the local model (status: the model starting to load). */
  'model:download': { id: string; dtype: string; dir: string; alreadyInstalled: boolean; fetchedBytes: number; status: ModelStatus };
  'model:cancelDownload': { cancelled: boolean };
  'images:remove': { removed: number; annotations: number; proposals: number };
  /** The negative recorded; adding one that exists answers the existing one. */
  'negatives:add': Negative;
  'negatives:list': Negative[];
  /** The negative removed (what restore needs). */
  'negatives:remove': Negative;
  'negatives:restore': Negative;
  /** The proposal as it was (for undo: proposals:restore + negatives:remove) and the negative recorded. */
  'proposals:markAbsent': { proposal: Proposal; negative: Negative };
  /** Each accepted proposal as it was and its annotation, in the order asked. */
  'proposals:acceptMany': { annotation: Annotation; proposal: Proposal }[];
  /** Each proposal as it was and its negative; created: false when the phrase was marked already (undo leaves that one). */
  'proposals:markAbsentMany': { proposal: Proposal; negative: Negative; created: boolean }[];
}

export type IpcMethod = keyof typeof requestSchemas;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof requestSchemas)[M]>;
export type IpcResponse<M extends IpcMethod> = ResponseMap[M];

/**
 * What crosses the wire: errors travel as one-line messages, never as thrown
 * objects. `transient`: the failure may pass if the same call is made again
 * (another process holds the write lock, the disk); any other failure is for
 * good, and the renderer takes back an edit that met one (issue 16).
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string; transient?: true };

/**
 * Any request may name the opening of the project it was made for
 * (ProjectInfo.token); main refuses it, changing nothing, when another
 * project (or none) is open (issue 16: an edit queued in one project must
 * never land in another). The renderer tags every edit.
 */
export interface ProjectTag {
  project?: string;
}
export const projectTagSchema = z.string().min(1).max(64);

/** Main-side implementation of every method (request already validated). */
export type IpcHandlers = {
  [M in IpcMethod]: (request: z.output<(typeof requestSchemas)[M]>) => Promise<IpcResponse<M>> | IpcResponse<M>;
};

/** Events main pushes to the renderer. */
export interface EventMap {
  'images:progress': { done: number; total: number; current: string };
  'project:changed': ProjectInfo;
  'ground:token': { queryId: string; kind: 'visible' | 'amodal'; text: string };
  'model:status': ModelStatus;
  'batch:progress': BatchStatus;
  /**
   * What changed in the review queue, in main's order: proposals added (a
   * query's or a batch's answer, an undo's restore) and ids that left it
   * (accepted, rejected). The renderer applies it to its queue; no re-list.
   */
  'proposals:changed': ProposalsDelta;
  /** Progress of the catalog download in progress (a few per second at most). */
  'model:download': ModelDownloadProgress;
  /** Queries answered so far in the evaluation running (issue 9). */
  'eval:progress': { done: number; total: number };
  /** How far the COCO import in progress (coco:import) is: each stage in turn, done of total in it. */
  'coco:progress': CocoImportProgress;
}

/**
 * A COCO import's progress: 'reading' the file (parse and structure check,
 * 0 then 1 of 1), 'checking images' (files probed of those to add), 'writing'
 * (boxes written of those to add; a transaction per few thousand).
 */
export interface CocoImportProgress {
  stage: 'reading' | 'checking images' | 'writing';
  done: number;
  total: number;
}

export interface ProposalsDelta {
  added: Proposal[];
  removedIds: number[];
}

/** What the Evaluate dialog shows: the figures per kind asked and the worst cases. */
export interface EvalReport {
  model: string;
  summary: Partial<Record<BoxKind, KindSummary>>;
  worst: EvalOutcome[];
  cancelled: boolean;
}
export type IpcEvent = keyof EventMap;

/** The API the preload puts on window.egm (and the e2e bridge imitates). */
export type EgmApi = {
  [M in IpcMethod]: (request: IpcRequest<M> & ProjectTag) => Promise<IpcResponse<M>>;
} & {
  /**
   * URL the renderer loads an image from (custom protocol in the app), for
   * the opening of the project named by `project` (ProjectInfo.token): ids
   * repeat across projects, URLs do not (issue 16).
   */
  imageUrl(project: string, imageId: number, version?: number): string;
  /** URL of the image's thumbnail: a small upright JPEG, longest side 160 px (issue 11: the image list). */
  thumbUrl(project: string, imageId: number): string;
  on<E extends IpcEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};

export const ipcMethods = Object.keys(requestSchemas) as IpcMethod[];
export const IPC_CHANNEL_PREFIX = 'egm:';
export const IMAGE_PROTOCOL = 'egm-image';
