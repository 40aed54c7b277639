// categories:* methods.
import type { IpcHandlers } from '@ipc/contract';
import type { ProjectSession } from './session';
import { categoryUsage, deleteCategory, mergeCategory } from '../store/categories';

type CategoryHandlers = Pick<
  IpcHandlers,
  'categories:list' | 'categories:ensure' | 'categories:rename' | 'categories:usage' | 'categories:merge' | 'categories:delete'
>;

export function categoryHandlers(session: ProjectSession): CategoryHandlers {
  return {
    'categories:list': () => session.require().listCategories(),
    'categories:ensure': ({ name }) => session.require().ensureCategory(name),
    'categories:rename': ({ id, name }) => session.require().renameCategory(id, name),
    'categories:usage': () => categoryUsage(session.require()),
    'categories:merge': ({ from, into }) => mergeCategory(session.require(), from, into),
    'categories:delete': ({ id, boxes }) => deleteCategory(session.require(), id, boxes),
  };
}
