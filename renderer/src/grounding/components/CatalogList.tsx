// The model panel's "Catalog" choice: every catalog model with its size and
// state (installed, downloadable, or needing an export first, with the command
// to run), a Download button, and while downloading a progress bar with rate,
// ETA and Cancel. A model published as safetensors only (EGM-4B/8B) has a
// second bar: its checkpoint downloads, then the app builds the ONNX model. A finished download becomes the local model (main does it)
// and starts loading, so the status below the list follows it to ready.
import { useEffect } from 'react';
import type { CatalogModelInfo, DeviceRequest, ModelDownloadProgress } from '@core/types';
import { formatBytes, formatDuration } from '@core/format';
import { cancelDownload, downloadModel, loadCatalog, useCatalog } from '../catalog';


function stateOf(m: CatalogModelInfo): 'installed' | 'download' | 'needs export' {
  if (m.installed) return 'installed';
  return m.runnable ? 'download' : 'needs export';
}

/** An installed dtype, the default one when it is there (so "Use" never starts another download). */
function usableDtype(m: CatalogModelInfo): string | undefined {
  const have = m.installed?.dtypes ?? [];
  return m.defaultDtype && have.includes(m.defaultDtype) ? m.defaultDtype : have[0];
}

const fraction = (p: ModelDownloadProgress | null) => (p && p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : null);
const figures = (p: ModelDownloadProgress) =>
  `${Math.floor((fraction(p) ?? 0) * 100)}% · ${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)} · ${formatBytes(p.rate)}/s · ETA ${formatDuration(p.etaSeconds)}`;

function DownloadProgress({ builds }: { builds: boolean }) {
  const download = useCatalog((s) => s.download);
  if (!download) return null;
  const { progress: p, build: b } = download;
  const cancel = <button className="mini" data-testid="btn-cancel-download" onClick={() => void cancelDownload()}>Cancel</button>;
  return (
    <div className="download-progress" data-testid="download-progress" data-id={download.id} data-phase={b ? 'build' : 'download'}>
      {builds && <div className="muted progress-label">Download the checkpoint</div>}
      <progress data-testid="download-bar" max={1} value={b ? 1 : (fraction(p) ?? undefined)} />
      <div className="row">
        <span className="download-figures" data-testid="download-figures">{b ? `Downloaded · ${formatBytes(p?.doneBytes ?? 0)}` : p ? figures(p) : 'Starting…'}</span>
        {!b && cancel}
      </div>
      {p && !b && <div className="muted download-file">{p.file}</div>}
      {builds && (
        <>
          <div className="muted progress-label">Build the ONNX model here (minutes; a cancelled build starts over)</div>
          <progress data-testid="build-bar" max={1} value={b ? (fraction(b) ?? undefined) : 0} />
          <div className="row">
            <span className="download-figures" data-testid="build-figures">{b ? figures(b) : 'After the download'}</span>
            {b && cancel}
          </div>
          {b && <div className="muted download-file" data-testid="build-step">{b.file}</div>}
        </>
      )}
    </div>
  );
}

export function CatalogList({ device, currentDir }: { device: DeviceRequest; currentDir: string | null }) {
  const models = useCatalog((s) => s.models);
  const modelsDir = useCatalog((s) => s.modelsDir);
  const problems = useCatalog((s) => s.problems);
  const busy = useCatalog((s) => s.download?.id ?? null);
  const building = useCatalog((s) => s.download?.build !== null && s.download?.build !== undefined);
  const error = useCatalog((s) => s.error);
  useEffect(() => {
    void loadCatalog();
  }, []);
  if (!models) return <div className="muted">Reading the catalog…</div>;
  return (
    <div className="catalog" data-testid="catalog">
      <ul className="catalog-list">
        {models.map((m) => {
          const state = stateOf(m);
          const inUse = m.installed !== null && m.installed.dir === currentDir;
          return (
            <li key={m.id} className="catalog-row" data-testid="catalog-row" data-id={m.id} data-state={state}>
              <div className="row">
                <strong className="catalog-name" title={m.description}>{m.name}</strong>
                {m.egmTuned && <span className="badge">EGM</span>}
                <span className="muted catalog-size">{m.bytes !== null ? formatBytes(m.installed?.bytes ?? m.bytes) : '—'}</span>
                <span className={`catalog-state state-${state.replace(' ', '-')}`} data-testid="catalog-state">{inUse ? 'in use' : busy === m.id ? (building ? 'building…' : 'downloading…') : state}</span>
                {state === 'download' && busy !== m.id && (
                  <button className="mini primary" data-testid="btn-download" disabled={busy !== null} onClick={() => void downloadModel(m.id, device)}>Download</button>
                )}
                {state === 'installed' && !inUse && (
                  <button className="mini" data-testid="btn-use-installed" disabled={busy !== null} onClick={() => void downloadModel(m.id, device, usableDtype(m))}>Use</button>
                )}
              </div>
              {busy === m.id && <DownloadProgress builds={m.status === 'build'} />}
              {m.status === 'build' && !m.installed && busy !== m.id && (
                <div className="muted catalog-hint" data-testid="build-hint">
                  Published as safetensors only: Download fetches {m.bytes !== null ? formatBytes(m.bytes) : 'the checkpoint'} and builds the ONNX model on this computer (minutes).
                </div>
              )}
              {m.exportHint && (
                <div className="muted catalog-hint" data-testid="export-hint">
                  No ONNX files to download: export them first with <code>{m.exportHint}</code>, or serve the model and use the Server choice.
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {error && <div className="health" data-testid="catalog-error">{error}</div>}
      {problems.map((p) => <div key={p} className="muted">{p}</div>)}
      {modelsDir && <div className="muted">Models folder: {modelsDir}</div>}
    </div>
  );
}
