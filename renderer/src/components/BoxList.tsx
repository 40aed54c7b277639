// The image's boxes, in sync with the canvas selection. Each row has an eye
// (hide: not drawn, not hit-tested) and a lock (drawn, but the canvas cannot
// select, move, resize or delete it); the category strip above does the same
// for a whole category and, clicked on its name, shows only that category's
// rows. Hide and lock are this session's view (canvas/box-view.ts). Boxes
// and chips wear their category's colour; a chip shows the key (1–9) that
// gives the selection its category (issue 18).
import { useEffect, useRef, useState } from 'react';
import type { Annotation, Category } from '@core/types';
import { categoryColor, categoryKeyOf, rankedCategories } from '@core/category-colors';
import { categoryKey, isHidden, isLocked, toggleCategoryHidden, toggleCategoryLocked, toggleHidden, toggleLocked, useBoxView, type CategoryKey } from '../canvas/box-view';
import { select } from '../state/annotate';
import { app, currentImage, useApp } from '../state/store';
import { isTruncated } from '@core/attributes';
import { activateOnKey } from './activate';
import { EyeIcon, LockIcon } from './view-icons';

/** The categories of the image's boxes with their box counts, in key order (the project's, by id), boxes without one last. */
function categoriesOf(annotations: Annotation[], categories: readonly Category[]): [CategoryKey, number][] {
  const counts = new Map<CategoryKey, number>();
  for (const a of annotations) counts.set(categoryKey(a), (counts.get(categoryKey(a)) ?? 0) + 1);
  const order = new Map(rankedCategories(categories).map((c, i) => [c.id as CategoryKey, i]));
  const rank = (k: CategoryKey) => (k === 0 ? Number.MAX_SAFE_INTEGER : (order.get(k) ?? Number.MAX_SAFE_INTEGER - 1));
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0] - b[0]);
}

export function BoxList() {
  const annotations = useApp((s) => s.annotations);
  const selection = useApp((s) => s.selection);
  const categories = useApp((s) => s.categories);
  const image = useApp((s) => currentImage(s));
  // Only what the rows show: a brightness or opacity slider must not re-render thousands of rows.
  const hiddenIds = useBoxView((s) => s.hiddenIds);
  const lockedIds = useBoxView((s) => s.lockedIds);
  const hiddenCategories = useBoxView((s) => s.hiddenCategories);
  const lockedCategories = useBoxView((s) => s.lockedCategories);
  const view = { hiddenIds, lockedIds, hiddenCategories, lockedCategories };
  const [onlyCategory, setOnlyCategory] = useState<CategoryKey | null>(null);
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
  const nameOf = (key: CategoryKey) => (key === 0 ? 'no category' : (catName.get(key) ?? 'unknown category'));
  const cats = categoriesOf(annotations, categories);
  const filter = onlyCategory !== null && cats.some(([k]) => k === onlyCategory) ? onlyCategory : null;
  const rows = annotations.map((a, i) => ({ a, n: i + 1 })).filter(({ a }) => filter === null || categoryKey(a) === filter);
  // A toggle inside a row must not also select the row.
  const stop = (fn: () => void) => (e: React.MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <div className="boxlist" data-testid="box-list">
      <div className="panel-head">
        <span>Boxes</span>
        <span className="muted">{filter === null ? annotations.length : `${rows.length} of ${annotations.length}`}</span>
      </div>
      {cats.length > 1 || view.hiddenCategories.size + view.lockedCategories.size > 0 ? (
        <div className="cat-strip" data-testid="category-strip">
          {cats.map(([key, n]) => (
            <span key={key} className={filter === key ? 'cat-chip active' : 'cat-chip'} data-testid="category-chip" data-category={nameOf(key)}>
              <i className="swatch" style={{ background: categoryColor(key === 0 ? null : key) }} />
              <button className="cat-name" aria-pressed={filter === key} title={filter === key ? 'Show every category' : `Show only ${nameOf(key)}`} onClick={() => setOnlyCategory(filter === key ? null : key)}>
                {key !== 0 && categoryKeyOf(categories, key) !== null && <kbd className="cat-key" title={`Key ${categoryKeyOf(categories, key)} gives the selected boxes this category`}>{categoryKeyOf(categories, key)}</kbd>}
                {nameOf(key)} <span className="muted">{n}</span>
              </button>
              <button className="row-toggle" data-testid="category-hide" aria-pressed={view.hiddenCategories.has(key)} aria-label={`Hide ${nameOf(key)}`} title={view.hiddenCategories.has(key) ? 'Show this category' : 'Hide this category'} onClick={() => toggleCategoryHidden(key)}>
                <EyeIcon off={view.hiddenCategories.has(key)} />
              </button>
              <button className="row-toggle" data-testid="category-lock" aria-pressed={view.lockedCategories.has(key)} aria-label={`Lock ${nameOf(key)}`} title={view.lockedCategories.has(key) ? 'Unlock this category' : 'Lock this category'} onClick={() => toggleCategoryLocked(key)}>
                <LockIcon locked={view.lockedCategories.has(key)} />
              </button>
            </span>
          ))}
        </div>
      ) : null}
      <ul ref={list} role="listbox" aria-label="Boxes" aria-multiselectable="true">
        {rows.map(({ a, n }) => {
          const hidden = isHidden(a, view);
          const locked = isLocked(a, view);
          return (
            <li
              key={a.id}
              data-testid="box-row"
              data-selected={sel.has(a.id)}
              data-hidden={hidden}
              data-locked={locked}
              className={['box-row', sel.has(a.id) && 'selected', hidden && 'hidden-box', locked && 'locked-box'].filter(Boolean).join(' ')}
              role="option"
              aria-selected={sel.has(a.id)}
              tabIndex={0}
              onClick={(e) => pick(a.id, e.shiftKey)}
              onKeyDown={(e) => activateOnKey(e, () => pick(a.id, e.shiftKey))}
            >
              <i className="swatch" style={{ background: categoryColor(a.categoryId) }} />
              <span className="idx">{n}</span>
              <span className={a.phrase ? 'phrase' : 'phrase muted'}>{a.phrase || '(no phrase)'}</span>
              {a.categoryId !== null && <span className="cat" style={{ color: categoryColor(a.categoryId) }}>{catName.get(a.categoryId)}</span>}
              <span className="flags-mini">
                {a.amodal && <abbr title="has amodal box">A</abbr>}
                {a.occluded && <abbr title="occluded">O</abbr>}
                {image && isTruncated(a, image) && <abbr title="truncated by the frame">T</abbr>}
                {a.difficult && <abbr title="difficult">D</abbr>}
                {!a.reviewed && <abbr className="warn" title="not reviewed">?</abbr>}
              </span>
              <button className="row-toggle" data-testid="box-hide" data-on={hidden} tabIndex={-1} aria-pressed={view.hiddenIds.has(a.id)} aria-label={hidden ? 'Show box' : 'Hide box'} title={hidden ? 'Show this box (H)' : 'Hide this box (H)'} onClick={stop(() => toggleHidden(a.id))}>
                <EyeIcon off={hidden} />
              </button>
              <button className="row-toggle" data-testid="box-lock" data-on={locked} tabIndex={-1} aria-pressed={view.lockedIds.has(a.id)} aria-label={locked ? 'Unlock box' : 'Lock box'} title={locked ? 'Unlock this box (Shift+L)' : 'Lock this box (Shift+L)'} onClick={stop(() => toggleLocked(a.id))}>
                <LockIcon locked={locked} />
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
