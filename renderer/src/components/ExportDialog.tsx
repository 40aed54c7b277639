// The export dialog (issue 9): COCO, RefCOCO (refer API), ODVG or Qwen-VL
// lines; every image or only those marked done (issue 18); the images folder
// file names are relative to (the project's images root unless another is
// chosen); RefCOCO's dataset name, split-by name, splits and seed. The same
// choices as `egm export`, with its defaults and its checks (core), sent to
// the same export code (handlers/datasets.ts), so the dialog and the CLI
// write the same files. "Export…" asks where, then writes and reports in the
// status bar. Esc or a click outside closes it.
import { useState } from 'react';
import type { ExportFormat } from '@ipc/contract';
import { REFCOCO_DEFAULTS, refcocoNameProblem } from '@core/datasets/refcoco';
import { DEFAULT_SPLITS, formatSplits, parseSplits } from '@core/datasets/splits';
import { egm } from '../egm';
import { guard } from '../state/guard';
import { saveQueue } from '../state/edits';
import { app, notify, useApp } from '../state/store';
import { Modal } from './Modal';

const FORMATS: { id: ExportFormat; label: string; hint: string }[] = [
  { id: 'coco', label: 'COCO', hint: 'detection JSON with phrase, phrases, amodal_bbox and attributes' },
  { id: 'refcoco', label: 'RefCOCO', hint: "refs(<split-by>).p and instances.json, as the refer API's REFER(root, dataset, splitBy) loads them" },
  { id: 'odvg', label: 'ODVG', hint: 'grounding lines for Open-GroundingDino / MM-Grounding-DINO, one per phrase' },
  { id: 'qwenvl', label: 'Qwen-VL', hint: "fine-tuning lines with EGM's own prompts and answers (0-1000 grid)" },
];

export function ExportDialog() {
  const open = useApp((s) => s.exportOpen);
  const project = useApp((s) => s.project);
  const [format, setFormat] = useState<ExportFormat>('coco');
  const [imagesDir, setImagesDir] = useState<string | null>(null);
  const [onlyDone, setOnlyDone] = useState(false);
  const [dataset, setDataset] = useState<string>(REFCOCO_DEFAULTS.dataset);
  const [splitBy, setSplitBy] = useState<string>(REFCOCO_DEFAULTS.splitBy);
  const [splits, setSplits] = useState(formatSplits(DEFAULT_SPLITS));
  const [seed, setSeed] = useState<number>(REFCOCO_DEFAULTS.seed);
  const [busy, setBusy] = useState(false);
  if (!open || !project) return null;
  // RefCOCO's options checked as `egm export` checks them, named before anything is written.
  const problem = format === 'refcoco' ? refcocoProblem(dataset, splitBy, splits) : null;
  const close = () => app.set({ exportOpen: false });
  const chooseImages = async () => {
    const dir = await egm()['dialog:pickImagesRoot']({});
    if (dir) setImagesDir(dir);
  };
  const run = async () => {
    setBusy(true);
    await guard('Exporting', async () => {
      await saveQueue.idle();
      const path = format === 'coco' ? await egm()['dialog:saveCoco']({}) : await egm()['dialog:saveExport']({ format });
      if (!path) return;
      const r = await egm()['dataset:export']({
        format,
        path,
        ...(imagesDir ? { imagesDir } : {}),
        ...(onlyDone ? { onlyDone } : {}),
        ...(format === 'refcoco' ? { dataset, splitBy, splits, seed } : {}),
      });
      notify(r.message);
      // Exported all the same; the line stays until dismissed, so the missing files are not missed (issue 16).
      if (r.missingFiles.length > 0) app.set({ error: missingFilesLine(r.missingFiles.map((m) => m.path)) });
      close();
    });
    setBusy(false);
  };
  return (
    <Modal testId="export-dialog" title="Export" onClose={close}>
      <h2>Export</h2>
      <div className="form export-formats" role="radiogroup" aria-label="Format">
        {FORMATS.map((f) => (
          <label key={f.id} className="check">
            <input type="radio" name="export-format" data-testid={`export-format-${f.id}`} checked={format === f.id} onChange={() => setFormat(f.id)} />
            <span><b>{f.label}</b> <span className="muted">{f.hint}</span></span>
          </label>
        ))}
      </div>
      <h3>Images</h3>
      <div className="form export-scope" role="radiogroup" aria-label="Images">
        <label className="check">
          <input type="radio" name="export-scope" data-testid="export-scope-all" checked={!onlyDone} onChange={() => setOnlyDone(false)} />
          <span>All images</span>
        </label>
        <label className="check">
          <input type="radio" name="export-scope" data-testid="export-scope-done" checked={onlyDone} onChange={() => setOnlyDone(true)} />
          <span>Only images marked done <span className="muted">(mark one with <kbd>M</kbd>; the others are left out with their boxes)</span></span>
        </label>
      </div>
      <h3>File names relative to</h3>
      <div className="row">
        <code data-testid="export-images-dir">{imagesDir ?? project.imagesRoot ?? "the export's own folder"}</code>
        <button data-testid="export-choose-images" onClick={() => void chooseImages()}>Change…</button>
      </div>
      {format === 'refcoco' && (
        <div className="form" data-testid="export-refcoco-options">
          <label>Dataset name (folder under the root)<input data-testid="export-dataset" value={dataset} onChange={(e) => setDataset(e.target.value)} /></label>
          <label>Split by: the refs file is refs(name).p<input data-testid="export-split-by" value={splitBy} onChange={(e) => setSplitBy(e.target.value)} /></label>
          <label>Splits (whole images each)<input data-testid="export-splits" value={splits} onChange={(e) => setSplits(e.target.value)} /></label>
          <label>Seed (the same seed, splits and images give the same split, here and in egm export)<input data-testid="export-seed" type="number" min={0} value={seed} onChange={(e) => setSeed(Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(Number(e.target.value) || 0))))} /></label>
          {problem && <p className="warn-line" data-testid="export-problem">{problem}</p>}
        </div>
      )}
      <div className="row">
        <span className="grow" />
        <button onClick={close}>Cancel</button>
        <button data-testid="export-run" className="primary" disabled={busy || problem !== null} onClick={() => void run()}>
          {format === 'refcoco' ? 'Choose root folder and export…' : 'Export…'}
        </button>
      </div>
    </Modal>
  );
}

/** "Exported, but 2 image files are missing: /a/x.jpg, /a/y.jpg; the dataset names them all the same." */
function missingFilesLine(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
  return `Exported, but ${paths.length === 1 ? '1 image file is' : `${paths.length} image files are`} missing: ${shown}; the dataset names them all the same — find the files before training on it`;
}

/** What is wrong with RefCOCO's options (the first thing), or null. */
function refcocoProblem(dataset: string, splitBy: string, splits: string): string | null {
  for (const [label, name] of [['Dataset name', dataset], ['Split by', splitBy]] as const) {
    const problem = refcocoNameProblem(name);
    if (problem) return `${label} '${name}': ${problem}`;
  }
  try {
    parseSplits(splits);
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^--splits: /, 'Splits: ');
  }
}
