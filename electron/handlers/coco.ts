// coco:* methods: export the open project to COCO JSON, import one into it.
import type { IpcHandlers } from '../ipc/contract';
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
      const report = await importCocoFile(store, path, {
        imagesDir,
        onProgress: (progress) => deps.emit('images:progress', progress),
      });
      deps.emit('project:changed', store.info());
      return report;
    },
  };
}
