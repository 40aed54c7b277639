// dataset:export (issue 9): every export format from the export dialog, with
// the options `egm export` has; the answer is one line for the status bar.
import type { IpcHandlers } from '../ipc/contract';
import { exportCocoFile } from '../coco/export';
import { parseSplits } from '../core/datasets/splits';
import { exportOdvg, exportQwenVl, exportRefcoco } from '../datasets/export-grounding';
import type { ProjectSession } from './session';

type DatasetHandlers = Pick<IpcHandlers, 'dataset:export'>;

export function datasetHandlers(session: ProjectSession): DatasetHandlers {
  return {
    'dataset:export': async ({ format, path, imagesDir, dataset, splitBy, splits, seed }) => {
      const store = session.require();
      if (format === 'coco') {
        const r = await exportCocoFile(store, path, { imagesDir });
        return { path: r.path, message: `Exported ${r.annotations} annotations on ${r.images} images to ${r.path}` };
      }
      if (format === 'refcoco') {
        const r = await exportRefcoco(store, path, { imagesDir, dataset, splitBy, seed, ...(splits ? { splits: parseSplits(splits) } : {}) });
        const perSplit = Object.entries(r.splits).map(([name, n]) => `${name} ${n}`).join(', ');
        return { path: r.refs, message: `Exported ${r.refCount} refs (${r.sentences} phrases; ${perSplit || 'none'}) to ${r.refs} and instances.json` };
      }
      const r = await (format === 'odvg' ? exportOdvg : exportQwenVl)(store, path, { imagesDir });
      return { path: r.path, message: `Exported ${r.lines} ${format === 'odvg' ? 'ODVG' : 'Qwen-VL'} lines to ${r.path}` };
    },
  };
}
