// project:* methods: create, open, info and the bundled sample project.
import type { IpcHandlers } from '@ipc/contract';
import { addImagesToStore, type AddProgress } from '../images/collect';
import type { HandlerDeps } from './deps';
import type { ProjectSession } from './session';
import { openSampleProject } from './sample';

type ProjectHandlers = Pick<IpcHandlers, 'project:create' | 'project:open' | 'project:info' | 'project:sample'>;

export function projectHandlers(deps: HandlerDeps, session: ProjectSession): ProjectHandlers {
  const onProgress = (progress: AddProgress) => deps.emit('images:progress', progress);
  return {
    'project:create': async ({ path, imagesDir }) => {
      const store = session.open(path, { create: true });
      if (imagesDir) await addImagesToStore(store, [imagesDir], { onProgress });
      const info = store.info();
      deps.emit('project:changed', info);
      return info;
    },
    'project:open': ({ path }) => {
      const info = session.open(path, { create: false }).info();
      deps.emit('project:changed', info);
      return info;
    },
    'project:info': () => session.current?.info() ?? null,
    'project:sample': async () => {
      const info = await openSampleProject(session, deps.samplesDir, deps.userDataDir, onProgress);
      deps.emit('project:changed', info);
      return info;
    },
  };
}
