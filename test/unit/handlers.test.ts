// The handler table through invokeHandler, as ipcMain and the e2e bridge drive
// it: validation errors, one open project at a time, errors as one-line results.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers, disposeHandlers, invokeHandler } from '../../electron/handlers';
import { ipcEvents, isIpcEvent } from '../../electron/handlers/events';
import { ipcMethods, type IpcHandlers } from '@ipc/contract';
import type { ProjectInfo } from '@core/types';
import { makeBench, SAMPLES_DIR, type Bench } from './handlers-helpers';

let bench: Bench;
beforeEach(async () => {
  bench = await makeBench();
});
afterEach(async () => {
  await bench.dispose();
});

describe('disposeHandlers', () => {
  it('closes the open project (the app calls it on quit) and may be called again', async () => {
    await bench.ok('project:create', { path: join(bench.dir, 'quit.egm') });
    expect(bench.session.current).not.toBeNull();
    await disposeHandlers(bench.handlers);
    expect(bench.session.current).toBeNull();
    expect(await bench.ok('project:info', {})).toBeNull();
    await disposeHandlers(bench.handlers);
  });
});

describe('invokeHandler validation', () => {
  it('has a handler for every contract method and nothing else', () => {
    expect(Object.keys(bench.handlers).sort()).toEqual([...ipcMethods].sort());
  });

  it('names the method and the field of an invalid payload, on one line', async () => {
    await bench.ok('project:create', { path: join(bench.dir, 'a.egm') });
    const result = await bench.call('annotations:create', {
      imageId: 1, categoryId: null, phrase: 'x', visible: [0, 0, 'wide', 1], amodal: null,
      occluded: false, source: 'manual', model: null, score: null, reviewed: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^annotations:create: invalid request: visible\.2: /);
    expect(result.error).not.toContain('\n');
  });

  it('rejects a missing field, a wrong type and a bad enum value', async () => {
    const missing = await bench.call('project:open', {});
    expect(missing).toMatchObject({ ok: false, error: expect.stringMatching(/^project:open: invalid request: path: /) });
    const wrongType = await bench.call('images:add', { paths: 'not-a-list' });
    expect(wrongType).toMatchObject({ ok: false, error: expect.stringMatching(/^images:add: invalid request: paths: /) });
    const badEnum = await bench.call('images:setStatus', { id: 1, status: 'finished' });
    expect(badEnum).toMatchObject({ ok: false, error: expect.stringMatching(/^images:setStatus: invalid request: status: /) });
    const notObject = await bench.call('project:open', 'path.egm');
    expect(notObject).toMatchObject({ ok: false, error: expect.stringMatching(/^project:open: invalid request: \(request\): /) });
  });

  it('answers an unknown method without throwing', async () => {
    expect(await bench.call('shell:exec', { cmd: 'rm -rf /' })).toEqual({ ok: false, error: "unknown IPC method 'shell:exec'" });
    expect(await bench.call('__proto__', {})).toMatchObject({ ok: false });
    expect(await bench.call('toString', {})).toMatchObject({ ok: false });
  });

  it('turns a handler exception into a one-line error naming the method', async () => {
    const handlers = createHandlers({
      dialogs: { ...bench.dialogs, openCoco: async () => { throw new Error('dialog broke\nstack line'); } },
      emit: () => {},
      samplesDir: SAMPLES_DIR,
      userDataDir: bench.dir,
    });
    expect(await invokeHandler(handlers as IpcHandlers, 'dialog:openCoco', {})).toEqual({ ok: false, error: 'dialog:openCoco: dialog broke' });
  });

  it('says no project is open for project-bound methods', async () => {
    expect(await bench.call('images:list', {})).toEqual({ ok: false, error: 'images:list: no project is open (open or create one first)' });
    expect(await bench.call('project:info', {})).toEqual({ ok: true, value: null });
    expect(await bench.call('project:info')).toEqual({ ok: true, value: null });
  });
});

describe('one open project at a time', () => {
  it('closes the first project when another opens', async () => {
    const a = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'a.egm') });
    const storeA = bench.session.current!;
    const b = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'b.egm') });
    expect(b.path).not.toBe(a.path);
    expect(bench.session.current?.path).toBe(b.path);
    expect(() => storeA.listImages()).toThrow(/not open/);
    const reopened = await bench.ok<ProjectInfo>('project:open', { path: a.path });
    expect(reopened.path).toBe(a.path);
    expect(bench.events.filter((e) => e.event === 'project:changed').map((e) => (e.payload as ProjectInfo).path)).toEqual([a.path, b.path, a.path]);
  });

  it('keeps the open project when opening another fails', async () => {
    const a = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'a.egm') });
    const result = await bench.call('project:open', { path: join(bench.dir, 'missing.egm') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^project:open: .*missing\.egm/);
    expect((await bench.ok<ProjectInfo>('project:info', {})).path).toBe(a.path);
  });

  it('reopening the open project keeps the same connection', async () => {
    const a = await bench.ok<ProjectInfo>('project:create', { path: join(bench.dir, 'a.egm') });
    const store = bench.session.current;
    await bench.ok('project:open', { path: a.path });
    expect(bench.session.current).toBe(store);
  });
});

describe('dialogs and events', () => {
  it('passes dialog answers through', async () => {
    expect(await bench.ok('dialog:openProject', {})).toBe(join(bench.dir, 'picked.egm'));
    expect(await bench.ok('dialog:createProject', {})).toBeNull();
    expect(await bench.ok('dialog:pickImages', {})).toEqual([join(SAMPLES_DIR, 'coffee.png')]);
  });

  it('lists exactly the contract events', () => {
    expect([...ipcEvents].sort()).toEqual(['batch:progress', 'coco:progress', 'eval:progress', 'ground:token', 'images:progress', 'model:download', 'model:status', 'project:changed', 'proposals:changed']);
    expect(isIpcEvent('project:changed')).toBe(true);
    expect(isIpcEvent('hasOwnProperty')).toBe(false);
  });
});
