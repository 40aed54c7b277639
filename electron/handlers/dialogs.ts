// dialog:* methods: the host's native dialogs (or the harness's canned answers).
import type { IpcHandlers } from '@ipc/contract';
import type { Dialogs } from './deps';

type DialogHandlers = Pick<
  IpcHandlers,
  | 'dialog:openProject' | 'dialog:createProject' | 'dialog:pickImages' | 'dialog:saveCoco' | 'dialog:openCoco' | 'dialog:pickModelFolder'
  | 'dialog:saveExport' | 'dialog:pickImagesRoot'
>;

export function dialogHandlers(dialogs: Dialogs): DialogHandlers {
  return {
    'dialog:openProject': () => dialogs.openProject(),
    'dialog:createProject': () => dialogs.createProject(),
    'dialog:pickImages': () => dialogs.pickImages(),
    'dialog:saveCoco': () => dialogs.saveCoco(),
    'dialog:openCoco': () => dialogs.openCoco(),
    'dialog:pickModelFolder': async () => (dialogs.pickModelFolder ? dialogs.pickModelFolder() : null),
    'dialog:saveExport': async ({ format }) => (dialogs.saveExport ? dialogs.saveExport(format) : null),
    'dialog:pickImagesRoot': async () => (dialogs.pickImagesRoot ? dialogs.pickImagesRoot() : null),
  };
}
