// Native dialogs behind the Dialogs interface the handler table uses.
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { Dialogs } from '../handlers/deps';
import { outsideImagesQuestion } from '@core/display-text';

const projectFilter = { name: 'EGM project', extensions: ['egm'] };
const cocoFilter = { name: 'COCO JSON', extensions: ['json'] };
const imageFilter = { name: 'Images', extensions: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'bmp', 'heic', 'heif'] };

export function electronDialogs(window: () => BrowserWindow | null): Dialogs {
  const open = async (options: OpenDialogOptions): Promise<string[]> => {
    const parent = window();
    const answer = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return answer.canceled ? [] : answer.filePaths;
  };
  const save = async (options: SaveDialogOptions): Promise<string | null> => {
    const parent = window();
    const answer = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return answer.canceled || !answer.filePath ? null : answer.filePath;
  };
  return {
    openProject: async () => (await open({ title: 'Open project', properties: ['openFile'], filters: [projectFilter] }))[0] ?? null,
    createProject: () => save({ title: 'New project', defaultPath: 'project.egm', filters: [projectFilter] }),
    // Linux and Windows dialogs pick files or folders, not both; a folder of images is the common case there.
    pickImages: () =>
      open({
        title: 'Add images (a folder or files)',
        properties: process.platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openDirectory', 'multiSelections'],
        filters: [imageFilter],
      }),
    saveCoco: () => save({ title: 'Export COCO', defaultPath: 'annotations.json', filters: [cocoFilter] }),
    openCoco: async () => (await open({ title: 'Import COCO', properties: ['openFile'], filters: [cocoFilter] }))[0] ?? null,
    saveExport: async (format) =>
      format === 'refcoco'
        ? ((await open({ title: 'RefCOCO root folder (the dataset folder is made inside it)', properties: ['openDirectory', 'createDirectory'] }))[0] ?? null)
        : save({
            title: `Export ${format === 'coco' ? 'COCO' : format === 'odvg' ? 'ODVG' : 'Qwen-VL'}`,
            defaultPath: format === 'coco' ? 'annotations.json' : `${format}.jsonl`,
            filters: [format === 'coco' ? cocoFilter : { name: 'JSON lines', extensions: ['jsonl'] }],
          }),
    pickImagesRoot: async () => (await open({ title: 'Images folder (file names are relative to it)', properties: ['openDirectory'] }))[0] ?? null,
    pickModelFolder: async () => (await open({ title: 'Model folder (config.json, onnx/)', properties: ['openDirectory'] }))[0] ?? null,
    confirmOutsideImages: async (paths, imagesDir) => {
      const options = {
        type: 'warning' as const,
        title: 'Import COCO',
        // File names come from the COCO file: shown with their control and bidi characters escaped.
        ...outsideImagesQuestion(paths, imagesDir),
        buttons: ['Skip them', 'Import them too'],
        defaultId: 0,
        cancelId: 0,
      };
      const parent = window();
      const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return answer.response === 1;
    },
  };
}
