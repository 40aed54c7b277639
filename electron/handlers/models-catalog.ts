// model:catalog, model:download and model:cancelDownload: the model panel's
// "Catalog" choice. A model published as safetensors only (status 'build') is
// downloaded and then built here; its progress events say which phase. The catalog is the bundled one unless EGM_CATALOG names a
// file; downloads go to EGM_MODELS_DIR (else the per-user models folder) from
// HF_ENDPOINT with HF_TOKEN, exactly as `egm model download` does, so a model
// fetched by either is found by the other. One download runs at a time: two
// would halve each other's bandwidth and race for the same staging lock.
import type { CatalogModelInfo, ModelBackendSettings } from '@core/types';
import { DTYPE_SUFFIX } from '../engine/local/model-folder';
import type { IpcHandlers } from '@ipc/contract';
import { bundledModelCatalog, entryDtypes, findEntry, loadCatalogFile, type Catalog, type CatalogEntry } from '../models/catalog';
import { downloadModel } from '../models/download';
import { listInstalled, type InstalledModel } from '../models/manifest';
import { defaultModelsDir } from '../models/paths';
import type { DownloadProgress } from '../models/progress';
import type { HandlerDeps } from './deps';
import type { ServiceRef } from './grounding';

type CatalogHandlers = Pick<IpcHandlers, 'model:catalog' | 'model:download' | 'model:cancelDownload'>;

/** Progress events per second at most: each one crosses IPC and re-renders the panel. */
const PROGRESS_INTERVAL_MS = 150;

/** Bytes of the default dtype: exact sizes where known, else estimates; null when the catalog gives none. */
function downloadBytes(entry: CatalogEntry): number | null {
  if (!entry.dtypes) return entry.approxSourceSize ?? null;
  const dtype = entry.defaultDtype ?? Object.keys(entry.dtypes)[0];
  const d = dtype ? entry.dtypes[dtype] : undefined;
  if (!d) return null;
  if (d.approxTotal !== undefined) return d.approxTotal;
  const sizes = d.files.map((f) => f.size ?? f.approxSize);
  return sizes.some((s) => s !== undefined) ? sizes.reduce<number>((a, s) => a + (s ?? 0), 0) : null;
}

function catalogInfo(entry: CatalogEntry, installed: InstalledModel | undefined, downloading: string | null): CatalogModelInfo {
  const dtypes = entryDtypes(entry);
  const downloadable = entry.status === 'ready' || entry.status === 'build';
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    status: entry.status,
    egmTuned: entry.egmTuned,
    license: entry.license,
    dtypes,
    defaultDtype: entry.defaultDtype ?? (dtypes.length === 1 ? dtypes[0]! : null),
    bytes: downloadBytes(entry),
    installed: installed ? { dir: installed.dir, dtypes: installed.dtypes, bytes: installed.bytes } : null,
    runnable: downloadable || Boolean(installed),
    exportHint: !downloadable && !installed ? (entry.exportCommand ?? entry.notes?.[0] ?? null) : null,
    downloading: downloading === entry.id,
  };
}

/** Passes progress on at most every PROGRESS_INTERVAL_MS; flush() sends the last one held back. */
function throttled(send: (p: DownloadProgress) => void): { update: (p: DownloadProgress) => void; flush: () => void } {
  let lastAt = -Infinity;
  let held: DownloadProgress | null = null;
  return {
    update(p) {
      const now = performance.now();
      if (now - lastAt < PROGRESS_INTERVAL_MS) {
        held = p;
        return;
      }
      lastAt = now;
      held = null;
      send(p);
    },
    flush() {
      if (held) send(held);
      held = null;
    },
  };
}

export function modelsCatalogHandlers(deps: HandlerDeps, service: ServiceRef): CatalogHandlers {
  const env = deps.env ?? process.env;
  const modelsDir = () => defaultModelsDir({ env });
  const loadCatalog = (): Promise<Catalog> => (env.EGM_CATALOG ? loadCatalogFile(env.EGM_CATALOG) : Promise.resolve(bundledModelCatalog()));
  let running: { id: string; controller: AbortController } | null = null;

  return {
    'model:catalog': async () => {
      const catalog = await loadCatalog();
      const dir = modelsDir();
      const { models: installed, problems } = await listInstalled(dir);
      const byId = new Map(installed.map((m) => [m.id, m]));
      return { modelsDir: dir, models: catalog.models.map((e) => catalogInfo(e, byId.get(e.id), running?.id ?? null)), problems };
    },

    'model:download': async ({ id, dtype, device }) => {
      if (running) throw new Error(`'${running.id}' is already downloading; cancel it or wait for it to finish`);
      // Taken before the first await, so a second call cannot slip in.
      const current = { id, controller: new AbortController() };
      running = current;
      try {
        const catalog = await loadCatalog();
        findEntry(catalog, id); // unknown ids fail here with the known ones listed
        let phase: 'download' | 'build' = 'download';
        const progress = throttled(({ file, doneBytes, totalBytes, rate, etaSeconds, phase: p }) =>
          deps.emit('model:download', { id, file, doneBytes, totalBytes, rate, etaSeconds, phase: p ?? 'download' }),
        );
        const onProgress = (p: DownloadProgress) => {
          // The last download figures go out before the first build ones, whatever the throttle held back.
          if ((p.phase ?? 'download') !== phase) progress.flush();
          phase = p.phase ?? 'download';
          progress.update(p);
        };
        const result = await downloadModel(id, {
          ...(dtype ? { dtype } : {}),
          catalog,
          env,
          destRoot: modelsDir(),
          signal: current.controller.signal,
          onProgress,
        });
        progress.flush();
        const g = await service();
        const saved = (await g.getSettings()).model;
        const model: ModelBackendSettings = {
          backend: 'local',
          modelDir: result.dir,
          device: device ?? (saved?.backend === 'local' ? saved.device : 'auto'),
          // Catalog dtypes are named as transformers.js names them; another name is left to the loader to pick.
          ...(result.dtype in DTYPE_SUFFIX ? { dtype: result.dtype } : {}),
        };
        const status = await g.setSettings({ model });
        return { id, dtype: result.dtype, dir: result.dir, alreadyInstalled: result.alreadyInstalled, fetchedBytes: result.fetchedBytes, status };
      } catch (err) {
        if (current.controller.signal.aborted) {
          // A model built here says which step stopped (download: resumes; build: starts over).
          if ((err as { cancelledStep?: boolean }).cancelledStep) throw err;
          throw new Error(`download of ${id} cancelled (partial files are kept; downloading again resumes)`);
        }
        throw err;
      } finally {
        running = null;
      }
    },

    'model:cancelDownload': ({ id }) => {
      if (running?.id !== id) return { cancelled: false };
      running.controller.abort();
      return { cancelled: true };
    },
  };
}
