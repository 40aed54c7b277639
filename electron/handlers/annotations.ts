// annotations:* methods. Each store call is one transaction, so an edit that
// returns here is on disk (DESIGN.md: acknowledged edits survive a crash).
import type { IpcHandlers } from '@ipc/contract';
import type { ImageRecord } from '@core/types';
import type { ProjectStore } from '../store/api';
import { checkAmodalBound } from '../store/rows';
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
    'annotations:create': (input) => {
      const store = session.require();
      checkAmodalBound(input.amodal, imageOf(store, input.imageId), `new annotation on image ${input.imageId}`);
      return store.createAnnotation(input);
    },
    'annotations:update': ({ id, patch }) => {
      const store = session.require();
      if (!patch.amodal) return store.updateAnnotation(id, patch);
      // The annotation's image is known only once it is read: checked inside the update's transaction, which a throw rolls back.
      return store.transaction(() => {
        const updated = store.updateAnnotation(id, patch);
        checkAmodalBound(updated.amodal, imageOf(store, updated.imageId), `annotation ${id}`);
        return updated;
      });
    },
    'annotations:delete': ({ ids }) => {
      session.require().deleteAnnotations(ids);
      return { deleted: ids.length };
    },
    'annotations:restore': ({ annotations }) => {
      const store = session.require();
      for (const a of annotations) checkAmodalBound(a.amodal, imageOf(store, a.imageId), `annotation ${a.id}`);
      return store.restoreAnnotations(annotations);
    },
  };
}

function imageOf(store: ProjectStore, imageId: number): ImageRecord {
  const image = store.getImage(imageId);
  if (!image) throw new Error(`no image with id ${imageId} in this project`);
  return image;
}
