// The project's images: search and filters (issue 11), how many of the
// project's images they show, the rows, and the review queue below.
import { ReviewQueue } from '../grounding/components/ReviewQueue';
import { useImageRows } from '../state/image-counts';
import { isFiltering } from '../state/image-filters';
import { useApp } from '../state/store';
import { ImageFilterBar } from './image-list/ImageFilterBar';
import { ImageRow } from './image-list/ImageRow';

export function ImageList() {
  const images = useImageRows();
  const current = useApp((s) => s.currentImageId);
  const total = useApp((s) => s.project?.imageCount ?? 0);
  const filtering = useApp((s) => isFiltering(s.imageFilters, s.unreviewedOnly));
  const done = images.filter((i) => i.status === 'done').length;
  return (
    <nav className="images" data-testid="image-list">
      <div className="panel-head">
        <span data-testid="image-list-count">{images.length} of {total} images</span>
        <span className="muted">{done} done</span>
      </div>
      <ImageFilterBar />
      <ul role="listbox" aria-label="Images">
        {images.map((img) => (
          <ImageRow key={img.id} img={img} current={img.id === current} />
        ))}
        {images.length === 0 && (
          <li className="muted empty" data-testid="image-list-empty">{filtering ? 'No image matches' : 'No images yet.'}</li>
        )}
      </ul>
      <ReviewQueue />
    </nav>
  );
}
