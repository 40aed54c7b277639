// The image's boxes, in sync with the canvas selection.
import { useEffect, useRef } from 'react';
import { select } from '../state/annotate';
import { app, useApp } from '../state/store';

export function BoxList() {
  const annotations = useApp((s) => s.annotations);
  const selection = useApp((s) => s.selection);
  const categories = useApp((s) => s.categories);
  const sel = new Set(selection);
  const list = useRef<HTMLUListElement>(null);
  // Selecting on the canvas brings the row into view.
  useEffect(() => {
    list.current?.querySelector('.box-row.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selection]);
  const catName = new Map(categories.map((c) => [c.id, c.name]));
  return (
    <div className="boxlist" data-testid="box-list">
      <div className="panel-head">
        <span>Boxes</span>
        <span className="muted">{annotations.length}</span>
      </div>
      <ul ref={list}>
        {annotations.map((a, i) => (
          <li
            key={a.id}
            data-testid="box-row"
            data-selected={sel.has(a.id)}
            className={sel.has(a.id) ? 'box-row selected' : 'box-row'}
            onClick={(e) => {
              const cur = app.get().selection;
              select(e.shiftKey ? (cur.includes(a.id) ? cur.filter((x) => x !== a.id) : [...cur, a.id]) : [a.id]);
            }}
          >
            <i className="swatch" style={{ background: a.color }} />
            <span className="idx">{i + 1}</span>
            <span className={a.phrase ? 'phrase' : 'phrase muted'}>{a.phrase || '(no phrase)'}</span>
            {a.categoryId !== null && <span className="cat">{catName.get(a.categoryId)}</span>}
            <span className="flags-mini">
              {a.amodal && <abbr title="has amodal box">A</abbr>}
              {a.occluded && <abbr title="occluded">O</abbr>}
              {!a.reviewed && <abbr className="warn" title="not reviewed">?</abbr>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
