// One image of the list: status, file name, proposals waiting, unreviewed and
// total boxes. Click, Enter or Space shows it; the list keeps it in view.
// Its × (or a right click) asks to remove it from the project; in a read-only
// project the × is disabled and says why. Unless the
// list is compact, a thumbnail leads the row: loaded only when scrolled into
// view, in a box of fixed size so rows do not jump as pictures arrive.
import { useEffect, useRef, useState } from 'react';
import type { ImageRecord } from '@core/types';
import { egm } from '../../egm';
import { selectImage } from '../../state/project';
import { confirmRemoveImage, removalBlocked } from '../../state/remove-image';
import { useApp } from '../../state/store';
import { activateOnKey } from '../activate';

export function ImageRow({ img, current, compact }: { img: ImageRecord; current: boolean; compact: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  const blocked = useApp(removalBlocked);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <li
      ref={ref}
      className={`img-row${current ? ' current' : ''}${img.missing ? ' missing' : ''}${compact ? '' : ' with-thumb'}`}
      data-testid="image-row"
      data-file={img.fileName}
      data-status={img.status}
      aria-selected={current}
      role="option"
      tabIndex={0}
      onClick={() => void selectImage(img.id)}
      onKeyDown={(e) => activateOnKey(e, () => void selectImage(img.id))}
      onContextMenu={(e) => {
        e.preventDefault();
        void confirmRemoveImage(img.id);
      }}
      title={img.missing ? `${img.path} (file missing)` : img.path}
    >
      {!compact && <Thumb img={img} />}
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
 * The image's thumbnail, or an empty frame of the same size (file missing or
 * unreadable). Its URL names the project's opening (issue 16), and the frame
 * is keyed by it, so a row of another project never keeps this one's picture
 * or its failure.
 */
function Thumb({ img }: { img: ImageRecord }) {
  const project = useApp((s) => s.project?.token ?? '');
  const src = egm().thumbUrl(project, img.id);
  return <ThumbFrame key={src} src={src} missing={img.missing} />;
}

function ThumbFrame({ src, missing }: { src: string; missing: boolean }) {
  const [failed, setFailed] = useState(false);
  if (missing || failed) return <span className="thumb none" data-testid="image-thumb-none" />;
  return <img className="thumb" data-testid="image-thumb" src={src} loading="lazy" decoding="async" alt="" draggable={false} onError={() => setFailed(true)} />;
}
