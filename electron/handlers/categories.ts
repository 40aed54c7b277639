// categories:* methods, and the project's attribute names (the inspector's other per-project list).
import type { IpcHandlers } from '@ipc/contract';
import { checkAmodalBound } from '../store/rows';
import { attributeKeys } from '../store/attribute-keys';
import type { ProjectSession } from './session';
import { categoryImpact, categoryUsage, deleteCategory, mergeCategory, restoreCategory } from '../store/categories';

type CategoryHandlers = Pick<
  IpcHandlers,
  | 'categories:list'
  | 'categories:ensure'
  | 'categories:rename'
  | 'categories:usage'
  | 'categories:merge'
  | 'categories:delete'
  | 'categories:impact'
  | 'categories:restore'
  | 'attributes:keys'
>;

export function categoryHandlers(session: ProjectSession): CategoryHandlers {
  return {
    'categories:list': () => session.require().listCategories(),
    'categories:ensure': ({ name }) => session.require().ensureCategory(name),
    'categories:rename': ({ id, name }) => session.require().renameCategory(id, name),
    'categories:usage': () => categoryUsage(session.require()),
    'categories:merge': ({ from, into }) => mergeCategory(session.require(), from, into),
    'categories:delete': ({ id, boxes }) => deleteCategory(session.require(), id, boxes),
    'categories:impact': ({ id }) => categoryImpact(session.require(), id),
    'categories:restore': ({ category, annotationIds, annotations }) => {
      const store = session.require();
      // Boxes come back as annotations:restore puts them back: within the amodal bound of their image.
      for (const a of annotations) {
        const image = store.getImage(a.imageId);
        if (!image) throw new Error(`no image with id ${a.imageId} in this project`);
        checkAmodalBound(a.amodal, image, `annotation ${a.id}`);
      }
      return restoreCategory(store, category, annotationIds, annotations);
    },
    'attributes:keys': () => attributeKeys(session.require()),
  };
}
