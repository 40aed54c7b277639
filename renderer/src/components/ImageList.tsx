// The project's images: search and filters (issue 11), how many of the
// project's images they show, the rows (with thumbnails, or compact), and the
// review queue below, the two sharing the column by a splitter. The rows are
// windowed (issue 18): a 20,000-image project puts only the rows in view in
// the page.
import { useCallback } from 'react';
import type { ImageRecord } from '@core/types';
import { ReviewQueue } from '../grounding/components/ReviewQueue';
import { useRowCounts } from '../state/image-counts';
import { useShownImages } from '../state/shown-images';
import { isFiltering } from '../lib/image-filters';
import { selectImage } from '../state/project';
import { removalBlocked } from '../state/remove-image';
import { useApp } from '../state/store';
import { useCompactList } from './image-list/compact';
import { ImageFilterBar } from './image-list/ImageFilterBar';
import { ImageRow } from './image-list/ImageRow';
import { Splitter } from './Splitter';
import { WindowedList, type RowProps } from './WindowedList';

const imageKey = (img: ImageRecord) => img.id;

export function ImageList() {
  const images = useShownImages();
  const counted = useRowCounts();
  const current = useApp((s) => s.currentImageId);
  const total = useApp((s) => s.project?.imageCount ?? 0);
  const filters = useApp((s) => s.imageFilters);
  const unreviewedOnly = useApp((s) => s.unreviewedOnly);
  const filtering = isFiltering(filters, unreviewedOnly);
  const done = images.filter((i) => i.status === 'done').length;
  const [compact, toggleCompact] = useCompactList();
  const currentIndex = current === null ? -1 : images.findIndex((i) => i.id === current);
  const onMove = useCallback((index: number) => void selectImage(images[index]!.id), [images]);
  const blocked = useApp(removalBlocked);
  const project = useApp((s) => s.project?.token ?? '');
  const renderRow = useCallback(
    (img: ImageRecord, row: RowProps) => <ImageRow img={counted(img)} current={img.id === current} compact={compact} blocked={blocked} project={project} row={row} />,
    [counted, current, compact, blocked, project],
  );
  return (
    <nav className="images" data-testid="image-list">
      <div className="panel-head image-list-head">
        <span className="list-count" data-testid="image-list-count" title={`${done} of them done`}>{images.length} of {total} images</span>
        <span className="muted done-count">{done} done</span>
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
      <WindowedList
        items={images}
        keyOf={imageKey}
        renderRow={renderRow}
        activeIndex={currentIndex}
        revealKey={`${current}|${filters.search}|${filters.status}|${filters.categoryId}|${filters.hasProposals}|${unreviewedOnly}`}
        onMove={onMove}
        rowHeightKey={compact}
        testId="image-list-rows"
        ariaLabel="Images"
        className={compact ? 'image-rows compact' : 'image-rows'}
        empty={<p className="muted empty" data-testid="image-list-empty">{filtering ? 'No image matches' : 'No images yet.'}</p>}
      />
      <Splitter name="queue" label="Review queue height" />
      <ReviewQueue />
    </nav>
  );
}
