// Model panel: a local model folder (with the device to run it on), a catalog
// model to download (CatalogList), or an
// OpenAI-compatible server (URL, model name, API key sent once and never
// shown back, kept for that server only — or read from an environment
// variable named for that server only); what runs where and why, load progress, a health check, the
// test-time scaling settings and the time limit per answer.
import { useEffect, useState } from 'react';
import type { ModelBackendSettings } from '@core/types';
import { serverOrigin } from '@core/grounding-ui';
import { DEVICE_REQUESTS, MAX_PIXELS_RANGE, type DeviceRequest } from '@core/settings-schemas';
import { checkHealth, pickModelFolder, saveGroundingSettings, saveModel } from '../model';
import { grounding, useGrounding } from '../store';
import { Modal } from '../../components/Modal';
import { CatalogList } from './CatalogList';
import { NumberField } from './NumberField';


export function ModelPanel() {
  const open = useGrounding((s) => s.panel === 'model');
  const settings = useGrounding((s) => s.settings);
  const status = useGrounding((s) => s.status);
  const model = settings?.model ?? null;
  const [backend, setBackend] = useState<'local' | 'catalog' | 'server'>(model?.backend ?? 'local');
  const [modelDir, setModelDir] = useState(model?.backend === 'local' ? model.modelDir : '');
  const [device, setDevice] = useState<DeviceRequest>(model?.backend === 'local' ? model.device : 'auto');
  const [baseUrl, setBaseUrl] = useState(model?.backend === 'server' ? model.baseUrl : '');
  const [serverModel, setServerModel] = useState(model?.backend === 'server' ? (model.serverModel ?? '') : '');
  const [apiKey, setApiKey] = useState('');
  // The key variable typed since the URL last changed; null: show the one saved for the URL's server.
  const [envTyped, setEnvTyped] = useState<string | null>(null);
  const [health, setHealth] = useState<string | null>(null);
  // Fill the form from the saved settings when the panel opens.
  useEffect(() => {
    if (!open || !model) return;
    // A catalog download ends as a local model: stay on the catalog list that started it.
    setBackend((b) => (b === 'catalog' && model.backend === 'local' ? b : model.backend));
    if (model.backend === 'local') {
      setModelDir(model.modelDir);
      setDevice(model.device);
    } else {
      setBaseUrl(model.baseUrl);
      setServerModel(model.serverModel ?? '');
    }
    setEnvTyped(null);
  }, [open, model]);
  if (!open) return null;
  const close = () => grounding.set({ panel: 'none' });
  const choice = (): ModelBackendSettings | null =>
    backend !== 'server'
      ? modelDir.trim() ? { backend: 'local', modelDir: modelDir.trim(), device } : null
      : baseUrl.trim()
        ? { backend: 'server', baseUrl: baseUrl.trim(), ...(serverModel.trim() ? { serverModel: serverModel.trim() } : {}) }
        : null;
  // A stored key, and a key variable, belong to one server origin: say whether this URL's server has one.
  const origin = serverOrigin(baseUrl);
  const keyStored = origin !== null && (settings?.keyOrigins ?? []).includes(origin);
  const apiKeyEnv = envTyped ?? (origin !== null ? (settings?.keyEnvs[origin] ?? '') : '');
  const storage = settings?.keyStorage;
  const save = async () => {
    const m = choice();
    if (!m) return setHealth(backend === 'local' ? 'Choose a model folder first' : 'Enter the server URL first');
    setHealth(null);
    const server = backend === 'server';
    // The variable goes along only when typed here, for this URL: a new URL never takes another server's.
    const keys = { ...(server && apiKey && !apiKeyEnv.trim() ? { apiKey } : {}), ...(server && envTyped !== null ? { apiKeyEnv: envTyped.trim() } : {}) };
    if (await saveModel(m, keys)) {
      setApiKey('');
      setEnvTyped(null);
    }
  };
  return (
    <Modal testId="model-panel" title="Model" onClose={close}>
      <h2>Model</h2>
      <div className="seg">
        <label><input type="radio" name="backend" data-testid="backend-local" checked={backend === 'local'} onChange={() => setBackend('local')} /> Local model folder</label>
        <label><input type="radio" name="backend" data-testid="backend-catalog" checked={backend === 'catalog'} onChange={() => setBackend('catalog')} /> Catalog model</label>
        <label><input type="radio" name="backend" data-testid="backend-server" checked={backend === 'server'} onChange={() => setBackend('server')} /> Server (OpenAI-compatible)</label>
      </div>
      {backend === 'catalog' ? (
        <div className="form">
          <label>Device
            <select data-testid="model-device" value={device} onChange={(e) => setDevice(e.target.value as DeviceRequest)}>
              {DEVICE_REQUESTS.map((d) => <option key={d} value={d}>{d === 'auto' ? 'auto (GPU if available, else CPU)' : d}</option>)}
            </select>
          </label>
          <CatalogList device={device} currentDir={model?.backend === 'local' ? model.modelDir : null} />
        </div>
      ) : backend === 'local' ? (
        <div className="form">
          <label>Folder
            <span className="row">
              {/* Read-only: main accepts only folders chosen in its own dialog (path grants), so typing one would be refused. */}
              <input data-testid="model-dir" value={modelDir} placeholder="Choose a folder with config.json and onnx/" readOnly title={modelDir} />
              <button data-testid="btn-pick-folder" onClick={() => void pickModelFolder().then((p) => p && setModelDir(p))}>Choose…</button>
            </span>
          </label>
          <label>Device
            <select data-testid="model-device" value={device} onChange={(e) => setDevice(e.target.value as DeviceRequest)}>
              {DEVICE_REQUESTS.map((d) => <option key={d} value={d}>{d === 'auto' ? 'auto (GPU if available, else CPU)' : d}</option>)}
            </select>
          </label>
        </div>
      ) : (
        <div className="form">
          <label>Server URL<input data-testid="server-url" value={baseUrl} placeholder="e.g. http://localhost:8000/v1" onChange={(e) => {
            setBaseUrl(e.target.value);
            if (serverOrigin(e.target.value) !== origin) setEnvTyped(null);
          }} /></label>
          <label>Model name<input data-testid="server-model" value={serverModel} placeholder="e.g. nvidia/EGM-8B (blank: the server's first)" onChange={(e) => setServerModel(e.target.value)} /></label>
          <label>API key
            <input
              data-testid="api-key"
              type="password"
              autoComplete="off"
              value={apiKey}
              disabled={apiKeyEnv.trim() !== ''}
              placeholder={keyStored ? `stored for ${origin}${storage?.persistent ? ' in the OS keychain' : ' for this session'}; type to replace` : `none stored for ${origin ?? 'this server'}`}
              onChange={(e) => setApiKey(e.target.value)}
            />
          </label>
          <label>Key from environment variable
            <input data-testid="api-key-env" value={apiKeyEnv} placeholder={`none for ${origin ?? 'this server'}; e.g. EGM_API_KEY`} spellCheck={false} onChange={(e) => setEnvTyped(e.target.value)} />
          </label>
          <p className="muted" data-testid="api-key-scope">A key, or the variable named for it, is only sent to the server it was given for{origin ? ` (${origin})` : ''}; another server needs its own. A variable is read from the app's environment and named EGM_… or …_API_KEY.</p>
          {storage && !storage.persistent && <p className="warn-line" data-testid="key-storage">{storage.message}</p>}
          {keyStored && <button className="mini" data-testid="btn-clear-key" onClick={() => void saveModel(choice(), { apiKey: '' })}>Forget this server's key</button>}
        </div>
      )}
      <div className="row-actions">
        {backend !== 'catalog' && <button className="primary" data-testid="btn-save-model" onClick={() => void save()}>Use this model</button>}
        <button data-testid="btn-health" onClick={() => void checkHealth().then((h) => h && setHealth(`${h.ok ? 'OK' : 'Failed'}: ${h.message} (${Math.round(h.latencyMs)} ms)`))}>Health check</button>
        {model && <button data-testid="btn-unset-model" onClick={() => void saveModel(null)}>No model</button>}
      </div>
      {health && <div className="health" data-testid="health-result">{health}</div>}
      <dl className="status-grid" data-testid="model-status" data-state={status.state}>
        <dt>State</dt><dd>{status.state}{status.message ? ` — ${status.message}` : ''}</dd>
        <dt>Model</dt><dd>{status.model ?? '—'}</dd>
        <dt>Runs on</dt><dd data-testid="model-device-status">{status.backend ? `${status.backend}: ${status.device ?? '?'}` : '—'}</dd>
        <dt>Why</dt><dd>{status.deviceReason ?? '—'}</dd>
      </dl>
      {status.state === 'loading' && <progress data-testid="model-progress" max={1} value={status.progress ?? undefined} />}
      <h3>Test-time scaling</h3>
      <div className="row">
        <NumberField testId="panel-budget" label="Reasoning budget (max new tokens)" title="EGM default 4096" min={16} max={32768} value={settings?.grounding.maxNewTokens} onCommit={(v) => void saveGroundingSettings({ maxNewTokens: v })} />
        <NumberField testId="panel-samples" label="Self-consistency N" title="N > 1: sample N answers, fuse by coordinate-wise median; agreement = confidence" min={1} max={16} value={settings?.grounding.samples} onCommit={(v) => void saveGroundingSettings({ samples: v })} />
      </div>
      <div className="row">
        <NumberField testId="panel-timeout" label="Time limit per answer (s)" title="Longest one answer may take, retries included; over it the answer is a timeout" min={1} max={86400} value={settings?.grounding.timeoutSeconds} onCommit={(v) => void saveGroundingSettings({ timeoutSeconds: v })} />
      </div>
      <div className="row">
        <NumberField testId="panel-max-pixels" label="Image pixel cap (model input)" title="The image is resized to at most this many pixels before the model sees it (about 1 visual token per 1,024 pixels); the model folder's own limits (preprocessor_config.json) apply too. Boxes are mapped back to the original size." min={MAX_PIXELS_RANGE.min} max={MAX_PIXELS_RANGE.max} value={settings?.grounding.maxPixels} onCommit={(v) => void saveGroundingSettings({ maxPixels: v })} />
      </div>
      <p className="muted">Settings are kept per user. With N &gt; 1 each proposal shows its confidence (mean IoU of the samples to the fused box), and the review queue can put the least confident first.</p>
      <div className="row-actions end"><button data-testid="btn-close-model" onClick={close}>Close</button></div>
    </Modal>
  );
}
