// One image of the list: status, file name, proposals waiting, unreviewed and
// total boxes. Click, Enter or Space shows it. The list (WindowedList) places
// the row and keeps the current one in view. Its × (or a right click) asks to
// remove it from the project; in a read-only project the × is disabled and
// says why. Unless the list is compact, a thumbnail leads the row, in a box
// of fixed size so rows do not jump as pictures arrive.
import { memo, useEffect, useRef, useState } from 'react';
import type { ImageRecord } from '@core/types';
import { egm } from '../../egm';
import { selectImage } from '../../state/project';
import { confirmRemoveImage } from '../../state/remove-image';
import { activateOnKey } from '../activate';
import { sameRowProps, type RowProps } from '../WindowedList';

interface ImageRowProps {
  img: ImageRecord;
  current: boolean;
  compact: boolean;
  /** Why images cannot be removed now (a read-only project), or null. */
  blocked: string | null;
  /** The project's opening token (its thumbnails' URLs name it): read once by the list, not by every row. */
  project: string;
  row: RowProps;
}

/** A row re-renders only when its image, state or place changes: a scroll step mounts the rows it brings and leaves the others be. */
export const ImageRow = memo(ImageRowView, (a, b) => a.img === b.img && a.current === b.current && a.compact === b.compact && a.blocked === b.blocked && a.project === b.project && sameRowProps(a.row, b.row));

function ImageRowView({ img, current, compact, blocked, project, row }: ImageRowProps) {
  return (
    <li
      {...row}
      className={`img-row${current ? ' current' : ''}${img.missing ? ' missing' : ''}${compact ? '' : ' with-thumb'}`}
      data-testid="image-row"
      data-file={img.fileName}
      data-status={img.status}
      aria-selected={current}
      role="option"
      onClick={() => void selectImage(img.id)}
      onKeyDown={(e) => activateOnKey(e, () => void selectImage(img.id))}
      onContextMenu={(e) => {
        e.preventDefault();
        void confirmRemoveImage(img.id);
      }}
      title={img.missing ? `${img.path} (file missing)` : img.path}
    >
      {!compact && <Thumb img={img} project={project} />}
      <i className={`status status-${img.status}`} title={img.status} />
      <span className="img-name">{img.fileName}</span>
      {img.proposalCount > 0 && (
        <span className="badge proposal" data-testid="image-proposals" title="proposals waiting for review">{img.proposalCount}</span>
      )}
      {img.unreviewedCount > 0 && (
        <span className="badge warn" title="unreviewed boxes">{img.unreviewedCount}</span>
      )}
      <span className="count" data-testid="image-count" title="boxes">{img.annotationCount}</span>
      <button
        className="mini row-remove"
        data-testid="btn-remove-image"
        aria-label={`Remove ${img.fileName} from the project`}
        title={blocked ?? 'Remove from the project… (Shift+Delete; the file stays on disk)'}
        disabled={blocked !== null}
        tabIndex={current ? 0 : -1}
        onClick={(e) => {
          e.stopPropagation();
          void confirmRemoveImage(img.id);
        }}
      >
        ×
      </button>
    </li>
  );
}

/**
 * A row that stays this long in the page asks for its thumbnail: rows that a
 * fast scroll carries past never ask (issue 18: 20,000 rows flying by).
 */
const THUMB_DELAY_MS = 90;

/**
 * The image's thumbnail, or an empty frame of the same size (file missing or
 * unreadable). Its URL names the project's opening (issue 16), and the frame
 * is keyed by it, so a row of another project never keeps this one's picture
 * or its failure.
 */
function Thumb({ img, project }: { img: ImageRecord; project: string }) {
  const src = egm().thumbUrl(project, img.id);
  return <ThumbFrame key={src} src={src} missing={img.missing} />;
}

function ThumbFrame({ src, missing }: { src: string; missing: boolean }) {
  const [failed, setFailed] = useState(false);
  const [wanted, setWanted] = useState(false);
  const ref = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => setWanted(true), THUMB_DELAY_MS);
    const el = ref.current;
    return () => {
      clearTimeout(timer);
      // Scrolled away before it arrived: dropping the source cancels the request instead of finishing it for nobody.
      if (el && !el.complete) el.removeAttribute('src');
    };
  }, []);
  if (missing || failed) return <span className="thumb none" data-testid="image-thumb-none" />;
  return <img ref={ref} className="thumb" data-testid="image-thumb" src={wanted ? src : undefined} loading="lazy" decoding="async" alt="" draggable={false} onError={() => wanted && setFailed(true)} />;
}
