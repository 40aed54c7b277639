// images:* methods over the open project.
import type { IpcHandlers } from '@ipc/contract';
import { addImagesToStore } from '../images/collect';
import { checkImageFile } from '../images/file-check';
import { removeImages } from '../store/remove-images';
import type { HandlerDeps } from './deps';
import type { ProjectSession } from './session';

type ImageHandlers = Pick<IpcHandlers, 'images:add' | 'images:list' | 'images:setStatus' | 'images:checkFile' | 'images:remove'>;

export function imageHandlers(deps: HandlerDeps, session: ProjectSession): ImageHandlers {
  return {
    'images:add': async ({ paths }) => {
      const store = session.require();
      const result = await addImagesToStore(store, paths, {
        onProgress: (progress) => deps.emit('images:progress', progress),
      });
      deps.emit('project:changed', store.info());
      return result;
    },
    'images:list': (filter) => session.require().listImages(filter),
    'images:setStatus': ({ id, status }) => {
      const store = session.require();
      if (!store.getImage(id)) throw new Error(`no image with id ${id} in this project`);
      store.setImageStatus(id, status);
      const image = store.getImage(id);
      if (!image) throw new Error(`image ${id} vanished while its status was set`);
      return image;
    },
    'images:checkFile': ({ id, deep }) => checkImageFile(session.require(), id, deep ?? false),
    'images:remove': ({ ids }) => {
      const store = session.require();
      const { proposalIds, ...removed } = removeImages(store, ids);
      if (proposalIds.length > 0) deps.emit('proposals:changed', { added: [], removedIds: proposalIds });
      deps.emit('project:changed', store.info());
      return removed;
    },
  };
}
