// The sandboxed preload: a thin typed proxy that puts window.egm (EgmApi) in
// the page. One ipcRenderer.invoke per contract method; main answers an
// IpcResult, which is unwrapped here (@ipc/unwrap) so the renderer sees a value or an Error
// with main's one-line message. Bundled to one CJS file (a sandboxed preload
// cannot require local files), so importing the contract is fine.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IMAGE_PROTOCOL, IPC_CHANNEL_PREFIX, ipcMethods, type EgmApi } from '@ipc/contract';
import { unwrapResult } from '@ipc/unwrap';
import { appImageUrl, appThumbUrl, eventChannel, isIpcEvent } from '../handlers/events';

const api: Record<string, unknown> = {};
for (const method of ipcMethods) {
  api[method] = async (request: unknown) => unwrapResult(method, await ipcRenderer.invoke(IPC_CHANNEL_PREFIX + method, request ?? {}));
}
api.imageUrl = (project: string, imageId: number, version?: number) => appImageUrl(IMAGE_PROTOCOL, project, imageId, version);
api.thumbUrl = (project: string, imageId: number) => appThumbUrl(IMAGE_PROTOCOL, project, imageId);
api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!isIpcEvent(event)) throw new Error(`egm.on: unknown event '${event}'`);
  const channel = eventChannel(event);
  // The IpcRendererEvent is not passed on: it would hand the page ipcRenderer itself.
  const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
};

contextBridge.exposeInMainWorld('egm', api as EgmApi);
