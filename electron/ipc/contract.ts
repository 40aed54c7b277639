// The one IPC contract between the renderer and the main process.
// Each method has a zod schema for its request (validated in main, never
// trusted) and a response type. Preload exposes exactly these methods; main's
// handler table is checked against them with `satisfies IpcHandlers`.
// Pure module: imported by main, preload, renderer and tests.
import { z } from 'zod';
import type { Annotation, Category, ImageRecord, ProjectInfo, Skipped } from '../core/types';

const box = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);
const id = z.number().int().positive();
const nonEmptyPath = z.string().min(1).max(4096);

const annotationFields = {
  categoryId: id.nullable(),
  phrase: z.string().max(2000),
  visible: box,
  amodal: box.nullable(),
  occluded: z.boolean(),
  source: z.enum(['manual', 'model']),
  model: z.string().max(500).nullable(),
  score: z.number().finite().nullable(),
  reviewed: z.boolean(),
  color: z.string().max(64),
};

export const annotationSchema = z.object({
  id,
  imageId: id,
  ...annotationFields,
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const requestSchemas = {
  'project:create': z.object({ path: nonEmptyPath, imagesDir: nonEmptyPath.optional() }),
  'project:open': z.object({ path: nonEmptyPath }),
  'project:info': z.object({}),
  'project:sample': z.object({}),
  'images:add': z.object({ paths: z.array(nonEmptyPath).min(1).max(100_000) }),
  'images:list': z.object({ unreviewed: z.boolean().optional() }),
  'images:setStatus': z.object({ id, status: z.enum(['todo', 'in-progress', 'done']) }),
  'annotations:list': z.object({ imageId: id }),
  'annotations:create': z.object({ imageId: id, ...annotationFields, color: annotationFields.color.optional() }),
  'annotations:update': z.object({ id, patch: z.object(annotationFields).partial() }),
  'annotations:delete': z.object({ ids: z.array(id).min(1) }),
  'annotations:restore': z.object({ annotations: z.array(annotationSchema).min(1) }),
  'categories:list': z.object({}),
  'categories:ensure': z.object({ name: z.string().trim().min(1).max(200) }),
  'categories:rename': z.object({ id, name: z.string().trim().min(1).max(200) }),
  'coco:export': z.object({ path: nonEmptyPath }),
  'coco:import': z.object({ path: nonEmptyPath, imagesDir: nonEmptyPath.optional() }),
  'dialog:openProject': z.object({}),
  'dialog:createProject': z.object({}),
  'dialog:pickImages': z.object({}),
  'dialog:saveCoco': z.object({}),
  'dialog:openCoco': z.object({}),
} as const;

export interface CocoExportReport {
  path: string;
  images: number;
  annotations: number;
  categories: number;
}

export interface CocoImportReport {
  images: number;
  annotations: number;
  categories: number;
  skipped: Skipped[];
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
  'annotations:list': Annotation[];
  'annotations:create': Annotation;
  'annotations:update': Annotation;
  'annotations:delete': { deleted: number };
  'annotations:restore': Annotation[];
  'categories:list': Category[];
  'categories:ensure': Category;
  'categories:rename': Category;
  'coco:export': CocoExportReport;
  'coco:import': CocoImportReport;
  'dialog:openProject': string | null;
  'dialog:createProject': string | null;
  'dialog:pickImages': string[];
  'dialog:saveCoco': string | null;
  'dialog:openCoco': string | null;
}

export type IpcMethod = keyof typeof requestSchemas;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof requestSchemas)[M]>;
export type IpcResponse<M extends IpcMethod> = ResponseMap[M];

/** What crosses the wire: errors travel as one-line messages, never as thrown objects. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Main-side implementation of every method (request already validated). */
export type IpcHandlers = {
  [M in IpcMethod]: (request: z.output<(typeof requestSchemas)[M]>) => Promise<IpcResponse<M>> | IpcResponse<M>;
};

/** Events main pushes to the renderer. */
export interface EventMap {
  'images:progress': { done: number; total: number; current: string };
  'project:changed': ProjectInfo;
}
export type IpcEvent = keyof EventMap;

/** The API the preload puts on window.egm (and the e2e bridge imitates). */
export type EgmApi = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResponse<M>>;
} & {
  /** URL the renderer loads an image from (custom protocol in the app). */
  imageUrl(imageId: number, version?: number): string;
  on<E extends IpcEvent>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};

export const ipcMethods = Object.keys(requestSchemas) as IpcMethod[];
export const IPC_CHANNEL_PREFIX = 'egm:';
export const IMAGE_PROTOCOL = 'egm-image';
