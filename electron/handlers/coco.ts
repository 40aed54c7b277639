// coco:* methods: export the open project to COCO JSON, import one into it.
import { dirname, resolve } from 'node:path';
import type { IpcHandlers } from '@ipc/contract';
import { exportCocoFile } from '../coco/export';
import { importCocoFile } from '../coco/import';
import type { HandlerDeps } from './deps';
import type { ProjectSession } from './session';

type CocoHandlers = Pick<IpcHandlers, 'coco:export' | 'coco:import'>;

export function cocoHandlers(deps: HandlerDeps, session: ProjectSession): CocoHandlers {
  return {
    'coco:export': async ({ path }) => {
      // Timings are for benchmarks; the renderer gets the contract's report only.
      const { timings: _timings, ...report } = await exportCocoFile(session.require(), path);
      return report;
    },
    'coco:import': async ({ path, imagesDir }) => {
      const store = session.require();
      // Image files outside the images folder are read only if the user says so
      // in main's own dialog: the renderer cannot allow it (it is untrusted).
      const confirm = deps.dialogs.confirmOutsideImages?.bind(deps.dialogs);
      const folder = resolve(imagesDir ?? dirname(path));
      const report = await importCocoFile(store, path, {
        imagesDir,
        allowOutside: confirm ? (paths) => confirm(paths, folder) : false,
        onProgress: (progress) => deps.emit('images:progress', progress),
        onStage: (progress) => deps.emit('coco:progress', progress),
      });
      deps.emit('project:changed', store.info());
      return report;
    },
  };
}
