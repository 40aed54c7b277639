// The image list's search and filters (issue 11), as plain data: what the
// user chose, the images:list request it makes (the filters run in SQL, see
// electron/ipc/contract.ts; the file-name search runs in the page over what
// they listed, image-search.ts, issue 18), and whether anything is filtered at
// all. Pure: the actions that re-list live in filter-images.ts.
import type { ImageStatus } from '@core/types';
import type { IpcRequest } from '@ipc/contract';

export interface ImageFilters {
  /** A case-insensitive part of the file name; '' matches every name. */
  search: string;
  status: ImageStatus | 'all';
  /** Only images with a proposal waiting for review. */
  hasProposals: boolean;
  /** Only images with at least one box of this category. */
  categoryId: number | null;
}

export const NO_FILTERS: ImageFilters = { search: '', status: 'all', hasProposals: false, categoryId: null };

/** The images:list request for these filters and the "Unreviewed only" switch (U); the search is not in it (image-search.ts). */
export function listRequest(f: ImageFilters, unreviewedOnly: boolean): IpcRequest<'images:list'> {
  return {
    ...(unreviewedOnly ? { unreviewed: true } : {}),
    ...(f.status !== 'all' ? { status: f.status } : {}),
    ...(f.hasProposals ? { hasProposals: true } : {}),
    ...(f.categoryId !== null ? { categoryId: f.categoryId } : {}),
  };
}

/** Whether the list shows only some of the project's images. */
export function isFiltering(f: ImageFilters, unreviewedOnly: boolean): boolean {
  return f.search.trim() !== '' || Object.keys(listRequest(f, unreviewedOnly)).length > 0;
}

/** Two requests ask for the same images (a list answered for an older request is dropped). */
export function sameRequest(a: IpcRequest<'images:list'>, b: IpcRequest<'images:list'>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
