// The image's boxes, in sync with the canvas selection.
import { useEffect, useRef } from 'react';
import { select } from '../state/annotate';
import { app, useApp } from '../state/store';
import { activateOnKey } from './activate';

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
  const pick = (id: number, toggle: boolean) => {
    const cur = app.get().selection;
    select(toggle ? (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]) : [id]);
  };
  const catName = new Map(categories.map((c) => [c.id, c.name]));
  return (
    <div className="boxlist" data-testid="box-list">
      <div className="panel-head">
        <span>Boxes</span>
        <span className="muted">{annotations.length}</span>
      </div>
      <ul ref={list} role="listbox" aria-label="Boxes" aria-multiselectable="true">
        {annotations.map((a, i) => (
          <li
            key={a.id}
            data-testid="box-row"
            data-selected={sel.has(a.id)}
            className={sel.has(a.id) ? 'box-row selected' : 'box-row'}
            role="option"
            aria-selected={sel.has(a.id)}
            tabIndex={0}
            onClick={(e) => pick(a.id, e.shiftKey)}
            onKeyDown={(e) => activateOnKey(e, () => pick(a.id, e.shiftKey))}
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
