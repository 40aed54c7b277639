// Local annotation ids (see store.ts) <-> the store's ids.
let nextLocal = -1;
const toRemote = new Map<number, number>();
const toLocal = new Map<number, number>();

export function newLocalId(): number {
  return nextLocal--;
}

export function bindIds(local: number, remote: number): void {
  toRemote.set(local, remote);
  toLocal.set(remote, local);
}

/** The store's id for a local id; throws if its create was never acknowledged (the save queue runs in order, so it has been). */
export function remoteId(local: number): number {
  if (local > 0) return local;
  const r = toRemote.get(local);
  if (r === undefined) throw new Error(`annotation ${local} has no stored id yet`);
  return r;
}

export function localId(remote: number): number {
  return toLocal.get(remote) ?? remote;
}

export function resetIds(): void {
  toRemote.clear();
  toLocal.clear();
}
