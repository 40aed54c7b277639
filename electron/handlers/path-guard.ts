// Puts the handler table under path grants (path-grants.ts): the answers main
// gives the renderer that name a path grant it, and the methods that take a
// path from the renderer refuse one that was not granted. Only hosts that pass
// deps.pathGrants get this (the app, the e2e harness); handler tests calling
// the bare table are unaffected.
//
// What grants what:
//   dialog:openProject / dialog:createProject, every project the session opens
//     (startup, last, sample, any later one)         -> project:open, project:create
//   dialog:pickImages (each answer, and what lies inside) -> images:add, the imagesDir fields
//   dialog:saveCoco (that exact file)                -> coco:export
//   dialog:saveCoco (that exact file)                -> dataset:export of COCO
//   dialog:saveExport (that file, or RefCOCO's root folder and what lies inside) -> dataset:export of the others
//   dialog:pickImagesRoot (the folder and what lies inside) -> dataset:export's imagesDir
//   dialog:openCoco                                  -> coco:import
//   dialog:pickModelFolder, model:getSettings' saved local folder,
//     model:catalog's installed folders, model:download's folder -> model:setSettings' modelDir
import type { IpcHandlers } from '@ipc/contract';
import type { PathGrants } from './path-grants';
import type { ProjectSession } from './session';

export function guardPaths(handlers: IpcHandlers, grants: PathGrants, session: ProjectSession): IpcHandlers {
  // The open project's path reaches the renderer (project:info); reopening it must work.
  if (session.current) grants.grantFile('project', session.current.path);
  session.onChange((store) => store && grants.grantFile('project', store.path));

  const h = handlers;
  return {
    ...h,
    'dialog:openProject': async (request) => grantOne(grants, 'project', await h['dialog:openProject'](request)),
    'dialog:createProject': async (request) => grantOne(grants, 'project', await h['dialog:createProject'](request)),
    'dialog:saveCoco': async (request) => grantOne(grants, 'coco-export', await h['dialog:saveCoco'](request)),
    'dialog:openCoco': async (request) => grantOne(grants, 'coco-import', await h['dialog:openCoco'](request)),
    'dialog:pickModelFolder': async (request) => grantOne(grants, 'model-folder', await h['dialog:pickModelFolder'](request)),
    'dialog:saveExport': async (request) => {
      const path = await h['dialog:saveExport'](request);
      if (path !== null) {
        if (request.format === 'refcoco') grants.grantTree('dataset-export', path);
        else grants.grantFile('dataset-export', path);
      }
      return path;
    },
    'dialog:pickImagesRoot': async (request) => {
      const path = await h['dialog:pickImagesRoot'](request);
      if (path !== null) grants.grantTree('images', path);
      return path;
    },
    'dataset:export': async (request) => {
      // COCO's file comes from the COCO save dialog, like coco:export's.
      await grants.check(request.format === 'coco' ? 'coco-export' : 'dataset-export', 'path', request.path);
      if (request.imagesDir !== undefined) await grants.check('images', 'imagesDir', request.imagesDir);
      return h['dataset:export'](request);
    },
    'dialog:pickImages': async (request) => {
      const paths = await h['dialog:pickImages'](request);
      // A picked folder is added with everything in it, so its contents are granted too.
      for (const path of paths) grants.grantTree('images', path);
      return paths;
    },

    'project:create': async (request) => {
      await grants.check('project', 'path', request.path);
      if (request.imagesDir !== undefined) await grants.check('images', 'imagesDir', request.imagesDir);
      return h['project:create'](request);
    },
    'project:open': async (request) => {
      await grants.check('project', 'path', request.path);
      return h['project:open'](request);
    },
    'images:add': async (request) => {
      await grants.check('images', 'paths', request.paths);
      return h['images:add'](request);
    },
    'coco:export': async (request) => {
      await grants.check('coco-export', 'path', request.path);
      return h['coco:export'](request);
    },
    'coco:import': async (request) => {
      await grants.check('coco-import', 'path', request.path);
      if (request.imagesDir !== undefined) await grants.check('images', 'imagesDir', request.imagesDir);
      return h['coco:import'](request);
    },

    'model:getSettings': async (request) => {
      const settings = await h['model:getSettings'](request);
      // The saved folder is shown in the model panel and sent back when only the device changes.
      if (settings.model?.backend === 'local') grants.grantFile('model-folder', settings.model.modelDir);
      return settings;
    },
    'model:catalog': async (request) => {
      const catalog = await h['model:catalog'](request);
      for (const model of catalog.models) if (model.installed) grants.grantFile('model-folder', model.installed.dir);
      return catalog;
    },
    'model:download': async (request) => {
      const result = await h['model:download'](request);
      grants.grantFile('model-folder', result.dir);
      return result;
    },
    'model:setSettings': async (request) => {
      if (request.model?.backend === 'local') await grants.check('model-folder', 'model.modelDir', request.model.modelDir);
      return h['model:setSettings'](request);
    },
  };
}

function grantOne<T extends string | null>(grants: PathGrants, purpose: Parameters<PathGrants['grantFile']>[0], path: T): T {
  if (path !== null) grants.grantFile(purpose, path);
  return path;
}
