// Runtime list of the events main pushes, checked against the contract's
// EventMap so adding an event there without listing it here fails typecheck,
// and the channel and image-URL forms the preload needs. Pure (no Node
// imports): the sandboxed preload and the e2e harness use it.
import { IPC_CHANNEL_PREFIX, type IpcEvent } from '@ipc/contract';

const eventSet = {
  'images:progress': true,
  'project:changed': true,
  'ground:token': true,
  'model:status': true,
  'batch:progress': true,
  'proposals:changed': true,
  'model:download': true,
  'eval:progress': true,
  'coco:progress': true,
} satisfies Record<IpcEvent, true>;

export const ipcEvents = Object.keys(eventSet) as IpcEvent[];

export function isIpcEvent(name: unknown): name is IpcEvent {
  return typeof name === 'string' && Object.hasOwn(eventSet, name);
}

/** Channel of an event: kept apart from method channels ('egm:<method>'). */
export function eventChannel(event: IpcEvent): string {
  return `${IPC_CHANNEL_PREFIX}event:${event}`;
}

/** URL of an image under the app's custom protocol (host 'image', path '/<project token>/<id>': ids repeat across projects). */
export function appImageUrl(protocol: string, project: string, imageId: number, version?: number): string {
  return `${protocol}://image/${encodeURIComponent(project)}/${imageId}${version ? `?v=${version}` : ''}`;
}

/** URL of an image's thumbnail: the image's URL with ?thumb=1 (images/serve.ts answers a small JPEG). */
export function appThumbUrl(protocol: string, project: string, imageId: number): string {
  return `${protocol}://image/${encodeURIComponent(project)}/${imageId}?thumb=1`;
}
