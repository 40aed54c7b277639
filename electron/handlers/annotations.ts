// annotations:* methods. Each store call is one transaction, so an edit that
// returns here is on disk (DESIGN.md: acknowledged edits survive a crash).
import type { IpcHandlers } from '../ipc/contract';
import type { ProjectSession } from './session';

type AnnotationHandlers = Pick<
  IpcHandlers,
  'annotations:list' | 'annotations:create' | 'annotations:update' | 'annotations:delete' | 'annotations:restore'
>;

export function annotationHandlers(session: ProjectSession): AnnotationHandlers {
  return {
    'annotations:list': ({ imageId }) => {
      const store = session.require();
      if (!store.getImage(imageId)) throw new Error(`no image with id ${imageId} in this project`);
      return store.listAnnotations(imageId);
    },
    'annotations:create': (input) => session.require().createAnnotation(input),
    'annotations:update': ({ id, patch }) => session.require().updateAnnotation(id, patch),
    'annotations:delete': ({ ids }) => {
      session.require().deleteAnnotations(ids);
      return { deleted: ids.length };
    },
    'annotations:restore': ({ annotations }) => session.require().restoreAnnotations(annotations),
  };
}
