// The project's images with status, box counts and the "unreviewed" filter.
import { useEffect, useRef } from 'react';
import type { ImageRecord } from '../../../electron/core/types';
import { ReviewQueue } from '../grounding/components/ReviewQueue';
import { selectImage, toggleUnreviewed } from '../state/project';
import { useImageRows } from '../state/image-counts';
import { useApp } from '../state/store';
import { activateOnKey } from './activate';

function Row({ img, current }: { img: ImageRecord; current: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <li
      ref={ref}
      className={`img-row${current ? ' current' : ''}${img.missing ? ' missing' : ''}`}
      data-testid="image-row"
      data-file={img.fileName}
      data-status={img.status}
      aria-selected={current}
      role="option"
      tabIndex={0}
      onClick={() => void selectImage(img.id)}
      onKeyDown={(e) => activateOnKey(e, () => void selectImage(img.id))}
      title={img.missing ? `${img.path} (file missing)` : img.path}
    >
      <i className={`status status-${img.status}`} title={img.status} />
      <span className="img-name">{img.fileName}</span>
      {img.proposalCount > 0 && (
        <span className="badge proposal" data-testid="image-proposals" title="proposals waiting for review">{img.proposalCount}</span>
      )}
      {img.unreviewedCount > 0 && (
        <span className="badge warn" title="unreviewed boxes">{img.unreviewedCount}</span>
      )}
      <span className="count" data-testid="image-count" title="boxes">{img.annotationCount}</span>
    </li>
  );
}

export function ImageList() {
  const images = useImageRows();
  const current = useApp((s) => s.currentImageId);
  const unreviewed = useApp((s) => s.unreviewedOnly);
  const done = images.filter((i) => i.status === 'done').length;
  return (
    <nav className="images" data-testid="image-list">
      <div className="panel-head">
        <span>Images</span>
        <span className="muted">{done}/{images.length} done</span>
      </div>
      <label className="filter">
        <input type="checkbox" data-testid="filter-unreviewed" checked={unreviewed} onChange={() => void toggleUnreviewed()} />
        Unreviewed only <kbd>U</kbd>
      </label>
      <ul role="listbox" aria-label="Images">
        {images.map((img) => (
          <Row key={img.id} img={img} current={img.id === current} />
        ))}
        {images.length === 0 && <li className="muted empty">{unreviewed ? 'No image has unreviewed boxes.' : 'No images yet.'}</li>}
      </ul>
      <ReviewQueue />
    </nav>
  );
}
