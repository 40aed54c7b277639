// categories:* methods.
import type { IpcHandlers } from '../ipc/contract';
import type { ProjectSession } from './session';

type CategoryHandlers = Pick<IpcHandlers, 'categories:list' | 'categories:ensure' | 'categories:rename'>;

export function categoryHandlers(session: ProjectSession): CategoryHandlers {
  return {
    'categories:list': () => session.require().listCategories(),
    'categories:ensure': ({ name }) => session.require().ensureCategory(name),
    'categories:rename': ({ id, name }) => session.require().renameCategory(id, name),
  };
}
