// The project's images: search and filters (issue 11), how many of the
// project's images they show, the rows (with thumbnails, or compact), and the
// review queue below.
import { ReviewQueue } from '../grounding/components/ReviewQueue';
import { useImageRows } from '../state/image-counts';
import { isFiltering } from '../lib/image-filters';
import { useApp } from '../state/store';
import { useCompactList } from './image-list/compact';
import { ImageFilterBar } from './image-list/ImageFilterBar';
import { ImageRow } from './image-list/ImageRow';

export function ImageList() {
  const images = useImageRows();
  const current = useApp((s) => s.currentImageId);
  const total = useApp((s) => s.project?.imageCount ?? 0);
  const filtering = useApp((s) => isFiltering(s.imageFilters, s.unreviewedOnly));
  const done = images.filter((i) => i.status === 'done').length;
  const [compact, toggleCompact] = useCompactList();
  return (
    <nav className="images" data-testid="image-list">
      <div className="panel-head image-list-head">
        <span className="list-count" data-testid="image-list-count" title={`${done} of them done`}>{images.length} of {total} images</span>
        <span className="muted">{done} done</span>
        <button
          className="mini list-mode"
          data-testid="btn-compact-list"
          aria-pressed={compact}
          aria-label={compact ? 'Show thumbnails' : 'Compact list'}
          title={compact ? 'Show thumbnails' : 'Compact list: names only, more rows at once'}
          onClick={toggleCompact}
        >
          {compact ? '▦' : '☰'}
        </button>
      </div>
      <ImageFilterBar />
      <ul role="listbox" aria-label="Images" data-compact={compact}>
        {images.map((img) => (
          <ImageRow key={img.id} img={img} current={img.id === current} compact={compact} />
        ))}
        {images.length === 0 && (
          <li className="muted empty" data-testid="image-list-empty">{filtering ? 'No image matches' : 'No images yet.'}</li>
        )}
      </ul>
      <ReviewQueue />
    </nav>
  );
}
