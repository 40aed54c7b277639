// Local annotation ids (see store.ts) <-> the store's ids. One IdMap per
// workbench (workbench.ts); the functions below act on the installed one.
import { workbench } from '../workbench/current';

export class IdMap {
  private nextLocal = -1;
  private readonly toRemote = new Map<number, number>();
  private readonly toLocal = new Map<number, number>();
  /** Local ids whose first create the store has acknowledged: a later create of one is a restore. */
  private readonly created = new Set<number>();

  newLocal(): number {
    return this.nextLocal--;
  }

  bind(local: number, remote: number): void {
    this.toRemote.set(local, remote);
    this.toLocal.set(remote, local);
    this.created.add(local);
  }

  /** Whether a create of this local id must make a new record (never stored yet). */
  isNew(local: number): boolean {
    return local < 0 && !this.created.has(local);
  }

  /** The store's id for a local id; throws if its create was never acknowledged (the save queue runs in order, so it has been). */
  remote(local: number): number {
    if (local > 0) return local;
    const r = this.toRemote.get(local);
    if (r === undefined) throw new Error(`annotation ${local} has no stored id yet`);
    return r;
  }

  local(remote: number): number {
    return this.toLocal.get(remote) ?? remote;
  }

  /** Another project: its ids are its own. */
  reset(): void {
    this.toRemote.clear();
    this.toLocal.clear();
    this.created.clear();
  }
}

export const newLocalId = (): number => workbench().ids.newLocal();
export const bindIds = (local: number, remote: number): void => workbench().ids.bind(local, remote);
export const remoteId = (local: number): number => workbench().ids.remote(local);
export const localId = (remote: number): number => workbench().ids.local(remote);
export const resetIds = (): void => workbench().ids.reset();
