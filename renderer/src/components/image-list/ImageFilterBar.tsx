// The image list's search field and filters (issue 11): file name (Ctrl+F,
// listed as you type), status, "has proposals", category, "Unreviewed only"
// (U); all of them narrow the same list, and Clear lifts them all.
import { useEffect } from 'react';
import type { ImageStatus } from '@core/types';
import { toggleUnreviewed } from '../../state/project';
import { clearImageFilters, IMAGE_SEARCH_ID, setImageFilter, setImageSearch } from '../../state/filter-images';
import { isFiltering } from '../../lib/image-filters';
import { useApp } from '../../state/store';

const STATUSES: { value: ImageStatus | 'all'; label: string }[] = [
  { value: 'all', label: 'any status' },
  { value: 'todo', label: 'to do' },
  { value: 'in-progress', label: 'in progress' },
  { value: 'done', label: 'done' },
];

export function ImageFilterBar() {
  const filters = useApp((s) => s.imageFilters);
  const unreviewed = useApp((s) => s.unreviewedOnly);
  const categories = useApp((s) => s.categories);
  const filtering = isFiltering(filters, unreviewed);
  // The category filtered on was merged or deleted (Categories dialog): filtering on it would hide every image.
  const goneCategory = filters.categoryId !== null && !categories.some((c) => c.id === filters.categoryId);
  useEffect(() => {
    if (goneCategory) void setImageFilter({ categoryId: null });
  }, [goneCategory]);
  return (
    <div className="image-filters" data-testid="image-filters">
      <input
        type="search"
        data-testid={IMAGE_SEARCH_ID}
        className="image-search"
        placeholder="Search file names (Ctrl+F)"
        aria-label="Search file names"
        spellCheck={false}
        value={filters.search}
        onChange={(e) => setImageSearch(e.target.value)}
      />
      <div className="filter-row">
        <select data-testid="filter-status" aria-label="Status" value={filters.status} onChange={(e) => void setImageFilter({ status: e.target.value as ImageStatus | 'all' })}>
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>{s.label}</option>
          ))}
        </select>
        <select
          data-testid="filter-category"
          aria-label="Category"
          value={filters.categoryId ?? ''}
          onChange={(e) => void setImageFilter({ categoryId: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">any category</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      </div>
      <div className="filter-row">
        <label className="filter-check" title="Only images with proposals waiting for review">
          <input type="checkbox" data-testid="filter-proposals" checked={filters.hasProposals} onChange={(e) => void setImageFilter({ hasProposals: e.target.checked })} />
          Has proposals
        </label>
        <label className="filter-check" title="Only images with unreviewed boxes or proposals waiting (U)">
          <input type="checkbox" data-testid="filter-unreviewed" checked={unreviewed} onChange={() => void toggleUnreviewed()} />
          Unreviewed <kbd>U</kbd>
        </label>
        {filtering && (
          <button className="mini" data-testid="btn-clear-filters" title="Show every image again" onClick={() => void clearImageFilters()}>
            Clear
          </button>
        )}
      </div>
    </div>
  );
}
