// The handler table with path grants on (as the app and the e2e harness run
// it), through invokeHandler over real project files: a path the renderer
// makes up is refused with a one-line error, the same path once a dialog (or
// main otherwise) handed it out is accepted.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelStatus, ProjectInfo } from '@core/types';
import { createHandlers, invokeHandler, PathGrants, ProjectSession, type DialogAnswers } from '../../electron/handlers';
import { canonicalPathSync } from '../../electron/handlers/path-grants';
import type { IpcResult } from '@ipc/contract';
import { bundledModelCatalog } from '../../electron/models/catalog';
import { writeManifest } from '../../electron/models/manifest';
import { SAMPLES_DIR } from './handlers-helpers';


let dir: string;
let sessions: ProjectSession[];
/** What each dialog answers next. */
let answers: DialogAnswers;
let call: Call;
type Call = (method: string, request?: unknown) => Promise<IpcResult<unknown>>;

/** A handler table as the app builds it (fresh grants), over this test's user-data folder. */
function makeTable(env?: NodeJS.ProcessEnv): Call {
  const session = new ProjectSession();
  sessions.push(session);
  const handlers = createHandlers({
    dialogs: {
      openProject: async () => answers.openProject,
      createProject: async () => answers.createProject,
      pickImages: async () => answers.pickImages,
      saveCoco: async () => answers.saveCoco,
      openCoco: async () => answers.openCoco,
      pickModelFolder: async () => answers.pickModelFolder,
      confirmOutsideImages: async () => answers.confirmOutsideImages,
      saveExport: async () => answers.saveExport,
      pickImagesRoot: async () => answers.pickImagesRoot,
    },
    emit: () => undefined,
    samplesDir: SAMPLES_DIR,
    userDataDir: join(dir, 'userData'),
    session,
    pathGrants: new PathGrants(),
    ...(env ? { env } : {}),
  });
  return (method, request) => invokeHandler(handlers, method, request);
}

beforeEach(async () => {
  dir = canonicalPathSync(await mkdtemp(join(tmpdir(), 'egm-handlers-grants-')));
  sessions = [];
  answers = { openProject: null, createProject: null, pickImages: [], saveCoco: null, openCoco: null, pickModelFolder: null, confirmOutsideImages: false, saveExport: null, pickImagesRoot: null };
  call = makeTable();
});
afterEach(async () => {
  await call('model:setSettings', { model: null });
  for (const session of sessions) session.close();
  await rm(dir, { recursive: true, force: true });
});

const refusal = (method: string, path: string, field = 'path') => ({ ok: false, error: `${method}: ${field} was not chosen in a dialog: ${path}` });

describe('handlers with path grants', () => {
  it('project:create and project:open take only dialog answers and projects main opened', async () => {
    const project = join(dir, 'p.egm');
    expect(await call('project:create', { path: project })).toEqual(refusal('project:create', project));
    answers.createProject = project;
    expect(await call('dialog:createProject')).toEqual({ ok: true, value: project });
    expect(await call('project:create', { path: project })).toMatchObject({ ok: true, value: { path: project } });

    // The sample project (as the startup one) is opened by main, so reopening it is allowed.
    const sample = (await call('project:sample')) as IpcResult<ProjectInfo>;
    expect(sample.ok).toBe(true);
    expect(await call('project:open', { path: project })).toMatchObject({ ok: true, value: { path: project } });
    if (sample.ok) expect(await call('project:open', { path: sample.value.path })).toMatchObject({ ok: true });
    expect(await call('project:open', { path: `${dir}/../p.egm` })).toEqual(refusal('project:open', `${dir}/../p.egm`));
  });

  it('images:add takes picked files and what lies inside picked folders, nothing else', async () => {
    answers.createProject = join(dir, 'p.egm');
    await call('dialog:createProject');
    await call('project:create', { path: answers.createProject });
    const outside = join(SAMPLES_DIR, 'fruits.jpg');
    expect(await call('images:add', { paths: [outside] })).toEqual(refusal('images:add', outside, 'paths[0]'));
    expect(await call('project:create', { path: answers.createProject, imagesDir: SAMPLES_DIR })).toEqual(refusal('project:create', SAMPLES_DIR, 'imagesDir'));

    answers.pickImages = [SAMPLES_DIR];
    await call('dialog:pickImages');
    const added = await call('images:add', { paths: [outside, join(SAMPLES_DIR, 'home.jpg')] });
    expect(added).toMatchObject({ ok: true, value: { added: [{ fileName: 'fruits.jpg' }, { fileName: 'home.jpg' }] } });
    const escape = join(SAMPLES_DIR, '..', 'package.json');
    expect(await call('images:add', { paths: [escape] })).toEqual(refusal('images:add', escape, 'paths[0]'));
  });

  it('coco:export writes only to the file the save dialog answered; coco:import reads only the opened file', async () => {
    answers.createProject = join(dir, 'p.egm');
    await call('dialog:createProject');
    await call('project:create', { path: answers.createProject });
    expect(await call('coco:export', { path: '/etc/x.json' })).toEqual(refusal('coco:export', '/etc/x.json'));
    const out = join(dir, 'out.json');
    answers.saveCoco = out;
    await call('dialog:saveCoco');
    expect(await call('coco:export', { path: out })).toMatchObject({ ok: true, value: { path: out, images: 0 } });
    // A path chosen for export is not one to import, nor the project file one to export over.
    expect(await call('coco:import', { path: out })).toEqual(refusal('coco:import', out));
    expect(await call('coco:export', { path: answers.createProject })).toEqual(refusal('coco:export', answers.createProject));

    answers.openCoco = out;
    await call('dialog:openCoco');
    expect(await call('coco:import', { path: out })).toMatchObject({ ok: true, value: { images: 0 } });
  });

  it('dataset:export writes only where the export dialog answered, relative only to a picked images folder (issue 9)', async () => {
    answers.createProject = join(dir, 'p.egm');
    await call('dialog:createProject');
    await call('project:create', { path: answers.createProject });
    const out = join(dir, 'train.jsonl');
    expect(await call('dataset:export', { format: 'odvg', path: out })).toEqual(refusal('dataset:export', out));
    answers.saveExport = out;
    await call('dialog:saveExport', { format: 'odvg' });
    expect(await call('dataset:export', { format: 'odvg', path: out })).toMatchObject({ ok: true, value: { path: out, message: `Exported 0 ODVG lines to ${out}` } });
    // A RefCOCO root is granted with what lies inside (the dataset folder is made there).
    const root = join(dir, 'refer');
    await mkdir(root);
    answers.saveExport = root;
    await call('dialog:saveExport', { format: 'refcoco' });
    expect(await call('dataset:export', { format: 'refcoco', path: root, dataset: 'mine' })).toMatchObject({ ok: true, value: { path: join(root, 'mine', 'refs(egm).p') } });
    const images = join(dir, 'imgs');
    await mkdir(images);
    expect(await call('dataset:export', { format: 'odvg', path: out, imagesDir: images })).toEqual(refusal('dataset:export', images, 'imagesDir'));
    answers.pickImagesRoot = images;
    await call('dialog:pickImagesRoot');
    expect(await call('dataset:export', { format: 'odvg', path: out, imagesDir: images })).toMatchObject({ ok: true });
  });

  it("model:setSettings takes a local folder only from the folder dialog or the saved settings", async () => {
    const folder = join(dir, 'model');
    await mkdir(folder);
    await writeFile(join(folder, 'config.json'), '{}');
    const local = { backend: 'local', modelDir: folder, device: 'cpu' };
    expect(await call('model:setSettings', { model: local })).toEqual(refusal('model:setSettings', folder, 'model.modelDir'));
    // A server model names no path: not checked.
    expect(await call('model:setSettings', { model: { backend: 'server', baseUrl: 'http://127.0.0.1:9/v1' } })).toMatchObject({ ok: true });

    answers.pickModelFolder = folder;
    await call('dialog:pickModelFolder');
    expect(await call('model:setSettings', { model: local })).toMatchObject({ ok: true });
    // Past the guard the folder reaches the model loader, whose own check (no onnx/ files here) fails it before any host starts.
    await expect.poll(async () => ((await call('model:status')) as IpcResult<ModelStatus> & { value: ModelStatus }).value.state).toBe('error');
    expect(await call('model:getSettings')).toMatchObject({ ok: true, value: { model: local } });

    // Next start (fresh grants): the saved folder, once shown by model:getSettings, may be sent back with another device.
    const next = makeTable();
    const otherDevice = { ...local, device: 'auto' };
    expect(await next('model:setSettings', { model: otherDevice })).toEqual(refusal('model:setSettings', folder, 'model.modelDir'));
    expect(await next('model:getSettings')).toMatchObject({ ok: true, value: { model: local } });
    expect(await next('model:setSettings', { model: otherDevice })).toMatchObject({ ok: true });
    await next('model:setSettings', { model: null });
  });

  it('model:catalog grants the folders of installed catalog models', async () => {
    const id = bundledModelCatalog().models[0]!.id;
    const installed = join(dir, 'models', 'installed');
    await mkdir(installed, { recursive: true });
    await writeManifest(installed, { format: 1, id, source: 'test', dtypes: { fp32: { installedAt: '2026-01-01', files: [], absent: [] } } });
    const catalogCall = makeTable({ EGM_MODELS_DIR: join(dir, 'models') });
    const local = { backend: 'local', modelDir: installed, device: 'cpu' };
    expect(await catalogCall('model:setSettings', { model: local })).toEqual(refusal('model:setSettings', installed, 'model.modelDir'));
    expect(await catalogCall('model:catalog')).toMatchObject({ ok: true, value: { models: expect.arrayContaining([expect.objectContaining({ id, installed: expect.objectContaining({ dir: installed }) })]) } });
    expect(await catalogCall('model:setSettings', { model: local })).toMatchObject({ ok: true });
    await catalogCall('model:setSettings', { model: null });
  });
});
