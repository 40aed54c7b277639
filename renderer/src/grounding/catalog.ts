// The model catalog in the model panel: what the catalog lists and which of it
// is installed, and the one download that may run (progress from main's
// 'model:download' events). Its own small store so progress ticks re-render
// only the catalog list. When a download finishes, main has already made the
// folder the local model; here the new settings and status are read back so
// the panel and the model chip show it loading, then ready.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { CatalogModelInfo, ModelDownloadProgress } from '@core/types';
import type { IpcRequest } from '@ipc/contract';
import { egm, errorText } from '../egm';
import { notify } from '../state/store';
import { installedStore, workbench } from '../workbench/current';
import { grounding } from './store';

export interface CatalogState {
  models: CatalogModelInfo[] | null;
  modelsDir: string | null;
  /** Folders whose manifest could not be read, one line each. */
  problems: string[];
  /**
   * The download in progress (progress null until the first event). A model
   * built here also has `build`: null while its checkpoint downloads, then the
   * build's progress (the last download figures stay in `progress`).
   */
  download: { id: string; progress: ModelDownloadProgress | null; build: ModelDownloadProgress | null } | null;
  /** Last catalog or download failure, one line. */
  error: string | null;
}

export function createCatalogStore(): StoreApi<CatalogState> {
  return createStore<CatalogState>(() => ({ models: null, modelsDir: null, problems: [], download: null, error: null }));
}

export function useCatalog<T>(selector: (s: CatalogState) => T): T {
  return useStore(workbench().catalog, selector);
}

const catalog = installedStore((wb) => wb.catalog);

export async function loadCatalog(): Promise<void> {
  try {
    const { models, modelsDir, problems } = await egm()['model:catalog']({});
    catalog.set({ models, modelsDir, problems });
  } catch (err) {
    catalog.set({ error: `Reading the model catalog failed: ${errorText(err)}` });
  }
}

/** Downloads a catalog model (main runs one at a time) and shows it as the local model once installed. */
export async function downloadModel(id: string, device: NonNullable<IpcRequest<'model:download'>['device']>, dtype?: string): Promise<void> {
  if (catalog.get().download) return;
  catalog.set({ download: { id, progress: null, build: null }, error: null });
  // Subscribed for this download only; main sends a few events per second at most.
  const off = egm().on('model:download', (progress) => {
    const d = catalog.get().download;
    if (progress.id !== d?.id) return;
    catalog.set({ download: progress.phase === 'build' ? { ...d, build: progress } : { ...d, progress } });
  });
  try {
    const result = await egm()['model:download']({ id, device, ...(dtype ? { dtype } : {}) });
    grounding.set({ status: result.status });
    const settings = await egm()['model:getSettings']({});
    grounding.set({ settings });
    const built = catalog.get().download?.build ? 'Downloaded and built' : 'Downloaded';
    notify(result.alreadyInstalled ? `${id} was already installed; loading it` : `${built} ${id}; loading it`);
  } catch (err) {
    catalog.set({ error: errorText(err) });
  } finally {
    off();
    catalog.set({ download: null });
    await loadCatalog();
  }
}

export async function cancelDownload(): Promise<void> {
  const d = catalog.get().download;
  if (!d) return;
  try {
    await egm()['model:cancelDownload']({ id: d.id });
  } catch (err) {
    catalog.set({ error: `Cancelling the download failed: ${errorText(err)}` });
  }
}
