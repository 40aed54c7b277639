// Holds the one open project of a window. Opening another project closes the
// first only after the new one opened, so a failed open keeps the old project.
import { resolve } from 'node:path';
import { openProjectStore } from '../store/project-store';
import type { ProjectStore } from '../store/api';

export class ProjectSession {
  #store: ProjectStore | null = null;
  readonly #listeners = new Set<(store: ProjectStore | null) => void>();

  constructor(private readonly nativeBinding?: string) {}

  get current(): ProjectStore | null {
    return this.#store;
  }

  /** The open store, or a one-line error telling the user what to do. */
  require(): ProjectStore {
    if (!this.#store) throw new Error('no project is open (open or create one first)');
    return this.#store;
  }

  /** Opens (with create: makes when absent) the project at path; reopening the open project is a no-op. */
  open(path: string, options: { create: boolean }): ProjectStore {
    const absolute = resolve(path);
    // Opening the open project again would put two connections on one file.
    if (this.#store && resolve(this.#store.path) === absolute) return this.#store;
    const next = openProjectStore(absolute, { create: options.create, nativeBinding: this.nativeBinding });
    const previous = this.#store;
    this.#store = next;
    previous?.close();
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  close(): void {
    const previous = this.#store;
    this.#store = null;
    previous?.close();
    for (const listener of this.#listeners) listener(null);
  }

  /** Called after every change of the open project (null: closed). Returns an unsubscribe function. */
  onChange(listener: (store: ProjectStore | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
