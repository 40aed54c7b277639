// Domain types shared by every process. Pure: no Node, Electron or React imports.
import type { Annotation, ImageStatus } from './schemas';
import type { GroundingPrefs } from './settings-schemas';

/** [x1, y1, x2, y2] in pixels of the upright (EXIF-applied) original image. */
export type Box = [number, number, number, number];
export type Point = [number, number];

export type { EvalKind, ImageStatus } from './schemas';
export type BoxKind = 'visible' | 'amodal';

export interface ImageRecord {
  id: number;
  /** As stored: relative to the project file's folder where possible, else absolute. */
  path: string;
  fileName: string;
  /** Displayed (upright) size, after EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation 1..8 of the file (1 when absent). */
  orientation: number;
  status: ImageStatus;
  /** True when the file was not found the last time the project was opened. */
  missing: boolean;
  annotationCount: number;
  unreviewedCount: number;
  proposalCount: number;
}

export interface Category {
  id: number;
  name: string;
}

// Inferred from its zod schema (core/schemas.ts), the one definition.
export type { Annotation, AnnotationSource } from './schemas';

/** Fields a caller may set when creating an annotation. */
export type AnnotationInput = Omit<Annotation, 'id' | 'createdAt' | 'updatedAt' | 'color' | 'morePhrases' | 'truncated' | 'difficult' | 'attributes'> &
  Partial<Pick<Annotation, 'color' | 'morePhrases' | 'truncated' | 'difficult' | 'attributes'>>;

/** Every referring phrase of an object: `phrase` then the others, empty ones left out. */
export function phrasesOf(a: Pick<Annotation, 'phrase'> & { morePhrases?: readonly string[] }): string[] {
  return [a.phrase, ...(a.morePhrases ?? [])].filter((p) => p.trim() !== '');
}
/** Fields a caller may change. */
export type AnnotationPatch = Partial<Omit<Annotation, 'id' | 'imageId' | 'createdAt' | 'updatedAt'>>;

export interface ProjectInfo {
  path: string;
  /**
   * This opening of the project (a new one each time a project is opened, so
   * it tells apart two projects whose image and record ids coincide): image
   * URLs and edit calls carry it, and main refuses either when it names a
   * project that is no longer the open one (issue 16).
   */
  token: string;
  name: string;
  imageCount: number;
  annotationCount: number;
  missingCount: number;
  schemaVersion: number;
  /** The folder the project's images were imported or added from (export's default file_name base), or null. */
  imagesRoot: string | null;
  /** Why the project is open read-only (read-only file, folder or media), or null when edits are saved. */
  readOnly: string | null;
}

/** An image's file as checked now (images:checkFile, issue 16): its path, and why it cannot be shown, or null. */
export interface ImageFileCheck {
  id: number;
  /** Absolute, as the user finds it on disk (a network path as the project stores it). */
  path: string;
  /** 'file not found', 'cannot read the file (EACCES)', 'not a readable image (...)', or null when it can be shown. */
  problem: string | null;
  /** The file's modification time (ms), so an image URL changes when the file does; null when there is no file. */
  version: number | null;
}

/** An image an export wrote though its file is not there (issue 16): exports name them. */
export interface MissingImageFile {
  id: number;
  path: string;
}

/** One image or file that an operation passed over, and why (one line). */
export interface Skipped {
  path: string;
  reason: string;
}

/** The grounding result contract (DESIGN.md, "Grounding result"). */
export interface GroundingResult {
  phrase: string;
  kind: BoxKind;
  box: Box | null;
  raw: string;
  reasoning: string;
  tokens: number;
  timings: { preprocessMs: number; modelMs: number; totalMs: number };
  model: string;
  point?: Point;
  /** Always set when box is null: 'no-box' | 'cancelled' | 'timeout' | 'timeout: <the deadline that passed>' | 'error: ...'. */
  reason?: string;
}

/**
 * A model's answer for one phrase on one image, waiting for review. Accepting
 * it turns it into an Annotation (source 'model', reviewed true); rejecting
 * deletes it. Inferred from its zod schema (core/schemas.ts), the one definition.
 */
export type { Proposal, ProposalOrder } from './schemas';

// Inferred from their zod schemas, which are the one definition.
export type { DeviceRequest, GroundingPrefs, GroundingSettings, ModelBackendSettings, SettingsPatch } from './settings-schemas';

/** What model:getSettings answers: the settings, and about keys only whether they exist. */
export interface SettingsView extends GroundingPrefs {
  /** The saved server has a key (its own stored one, or the variable named for it is set). The key itself never comes back. */
  hasApiKey: boolean;
  /** Server origins (scheme://host:port) with a stored key: a key is only ever sent to its own origin. */
  keyOrigins: string[];
  /** How stored keys are kept: a real OS keychain (persistent) or memory only, with why. */
  keyStorage: KeyStorage;
}

export type { HealthReport, ModelStatus } from './schemas';

/** How server API keys are kept (the model panel says it when it is not a real keychain). */
export interface KeyStorage {
  /** True when a key survives a restart in a real keychain. */
  persistent: boolean;
  /** 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet5', 'basic_text', 'none', 'environment', ... */
  backend: string;
  /** What holds, in one or two sentences, when it is not a real keychain; else null. */
  message: string | null;
}

export interface BatchStatus {
  id: number;
  state: 'running' | 'paused' | 'cancelled' | 'done';
  /** The batch's phrases (the dialog and the interrupted-batch notice name them). */
  phrases: string[];
  total: number;
  done: number;
  failed: number;
  /** Of the done items, those the model answered with no box (each a "no box" proposal in the review queue). */
  noBox: number;
  /** Of the done items, those not asked because their pair was answered before (a proposal waiting, a box with the phrase, "not in this image"). */
  skipped: number;
  /** Items the model answered per second over the last minute (not requests: an item asks one request per box kind). */
  throughput: number;
  etaSeconds: number | null;
  startedAt: number;
  /**
   * True for a batch of this project that stopped unfinished in an earlier
   * session (the app quit, crashed or was closed mid-run): nothing runs it
   * now; batch:resume does.
   */
  interrupted?: boolean;
  /**
   * One line, when the server is failing: while running, that the batch waits
   * for it; once paused by itself, why (resume when the server is back).
   */
  reason?: string;
  /**
   * When main took this snapshot of a running batch (a counter over the
   * process): a command's reply and the progress events can reach the
   * renderer in either order, and an older snapshot of the same batch must
   * not replace a newer one (latestBatch in grounding-ui.ts).
   */
  seq?: number;
}

/** One model of the catalog as the model panel shows it (model:catalog). */
export interface CatalogModelInfo {
  id: string;
  name: string;
  description: string;
  /** Catalog status: 'ready' = ONNX files on the hub; 'build' = safetensors on the hub, downloaded and built into ONNX here; otherwise an export is needed first. */
  status: 'ready' | 'build' | 'needs export';
  egmTuned: boolean;
  license: string;
  dtypes: string[];
  /** The dtype a download picks when none is asked for. */
  defaultDtype: string | null;
  /** Download size of the default dtype (exact where the catalog knows it, else its estimate), or the source weights of a model built here or needing export; null when unknown. */
  bytes: number | null;
  /** Installed folder (egm-model.json present), else null. */
  installed: { dir: string; dtypes: string[]; bytes: number } | null;
  /** Runs in the app once downloaded (ONNX), or already installed. */
  runnable: boolean;
  /** What to run to make the ONNX files when the catalog has none to download. */
  exportHint: string | null;
  /** True while this model is the download in progress. */
  downloading: boolean;
}

/** Progress of the catalog download in progress (event 'model:download'). */
export interface ModelDownloadProgress {
  id: string;
  doneBytes: number;
  totalBytes: number;
  /** Bytes per second over the last few seconds; 0 until measurable. */
  rate: number;
  etaSeconds: number | null;
  /** The file being fetched now, or for the build phase what is being built. */
  file: string;
  /** 'build': a model published as safetensors only, its checkpoint downloaded, now being built into ONNX (bytes of weights converted). */
  phase: 'download' | 'build';
}
