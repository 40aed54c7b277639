// dataset:export (issue 9): every export format from the export dialog, with
// the options `egm export` has; the answer is one line for the status bar.
import type { ExportFormat, IpcHandlers } from '@ipc/contract';
import type { MissingImageFile } from '@core/types';
import { missingFilesNote } from '../images/file-check';
import type { ProjectStore } from '../store/api';
import { exportCocoFile } from '../coco/export';
import { parseSplits } from '@core/datasets/splits';
import { exportOdvg, exportQwenVl, exportRefcoco } from '../datasets/export-grounding';
import type { ProjectSession } from './session';

type DatasetHandlers = Pick<IpcHandlers, 'dataset:export'>;

export function datasetHandlers(session: ProjectSession): DatasetHandlers {
  return {
    'dataset:export': async ({ format, path, imagesDir, onlyDone, dataset, splitBy, splits, seed }) => {
      const { path: written, message, missingFiles } = await exportAs(session.require(), format, path, { imagesDir, onlyDone, dataset, splitBy, splits, seed });
      // Exported all the same; the status line and the answer name the images without a file (issue 16).
      return { path: written, message: message + missingFilesNote(missingFiles), missingFiles };
    },
  };
}

type ExportOptions = { imagesDir?: string; onlyDone?: boolean; dataset?: string; splitBy?: string; splits?: string; seed?: number };

/** One export in the format asked, with the status line that reports it. */
async function exportAs(store: ProjectStore, format: ExportFormat, path: string, { imagesDir, onlyDone, dataset, splitBy, splits, seed }: ExportOptions): Promise<{ path: string; message: string; missingFiles: MissingImageFile[] }> {
  // "only done" named in the line, so a short export is not taken for a lost one.
  const scope = onlyDone ? ' (only images marked done)' : '';
  if (format === 'coco') {
    const r = await exportCocoFile(store, path, { imagesDir, onlyDone });
    const negatives = r.negatives > 0 ? ` and ${r.negatives} "not in this image" marks` : '';
    return { path: r.path, missingFiles: r.missingFiles, message: `Exported ${r.annotations} annotations${negatives} on ${r.images} images${scope} to ${r.path}` };
  }
  if (format === 'refcoco') {
    const r = await exportRefcoco(store, path, { imagesDir, onlyDone, dataset, splitBy, seed, ...(splits ? { splits: parseSplits(splits) } : {}) });
    const perSplit = Object.entries(r.splits).map(([name, n]) => `${name} ${n}`).join(', ');
    return { path: r.refs, missingFiles: r.missingFiles, message: `Exported ${r.refCount} refs (${r.sentences} phrases; ${perSplit || 'none'})${scope} to ${r.refs} and instances.json${notExported(r.skippedNegatives, 'RefCOCO')}` };
  }
  if (format === 'odvg') {
    const r = await exportOdvg(store, path, { imagesDir, onlyDone });
    return { path: r.path, missingFiles: r.missingFiles, message: `Exported ${r.lines} ODVG lines${scope} to ${r.path}${notExported(r.skippedNegatives, 'ODVG')}` };
  }
  const r = await exportQwenVl(store, path, { imagesDir, onlyDone });
  return { path: r.path, missingFiles: r.missingFiles, message: `Exported ${r.lines} Qwen-VL lines${scope} to ${r.path}` };
}

/** The status line's note on "not in this image" marks a format has no form for ('' when none). */
function notExported(count: number, format: string): string {
  return count === 0 ? '' : ` (${count} "not in this image" mark${count === 1 ? '' : 's'} not exported: ${format} has no form for them)`;
}
