// Wires the handler table to ipcMain: one channel per contract method. The
// sender is checked (only our app's frame may call) before the payload is
// validated and dispatched by invokeHandler, which never throws.
import { ipcMain, type WebFrameMain } from 'electron';
import { IPC_CHANNEL_PREFIX, ipcMethods, type IpcHandlers, type IpcResult } from '@ipc/contract';
import { invokeHandler } from '../handlers/dispatch';

export function registerIpc(handlers: IpcHandlers, isAppUrl: (url: string) => boolean): void {
  for (const method of ipcMethods) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + method, async (event, request: unknown): Promise<IpcResult<unknown>> => {
      const frame: WebFrameMain | null = event.senderFrame;
      if (!frame || !isAppUrl(frame.url)) {
        console.error(`ipc: refused ${method} from ${frame?.url.slice(0, 200) ?? 'a destroyed frame'}`);
        return { ok: false, error: `${method}: refused: the request did not come from the app's window` };
      }
      return invokeHandler(handlers, method, request);
    });
  }
}
