// The fields one box and a multi-selection share (issue 18, "Classes" and
// "Attributes"): category (typed, or one of the numbered categories clicked,
// as keys 1–9 do), the flags (occluded, reviewed, truncated — from the frame
// unless set —, difficult) and the project's free attributes. Every change
// goes to ALL the boxes given, as ONE undo step (patchBoxes); a field whose
// boxes disagree shows "(several)" / a dash and changes nothing until set.
import { useEffect, useRef, useState } from 'react';
import type { Annotation } from '@core/types';
import { CATEGORY_KEYS, categoryColor, rankedCategories } from '@core/category-colors';
import { CATEGORY_NAME_MAX } from '@core/schemas';
import { isTruncated } from '@core/attributes';
import { patchBoxes, toggleFlag } from '../state/annotate';
import { ensureCategory } from '../state/project';
import { currentImage, useApp } from '../state/store';
import { capText, LimitNote } from './TextLimit';
import { AttributeFields } from './AttributeFields';

const TYPING_PAUSE_MS = 700;

/** The value every box has, or undefined when they differ. */
export function common<T>(boxes: readonly Annotation[], get: (a: Annotation) => T): T | undefined {
  const first = get(boxes[0]!);
  return boxes.every((a) => get(a) === first) ? first : undefined;
}

/** Text committed on Enter, on blur, after a pause in typing, and when the field goes (the boxes it edits are fixed per mount). */
export function useCommittedText(initial: string, commit: (v: string) => void) {
  const [text, setText] = useState(initial);
  const last = useRef(initial);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // The latest commit: the unmount flush below must not run the first render's.
  const commitNow = useRef(commit);
  commitNow.current = commit;
  const flush = (v: string) => {
    clearTimeout(timer.current);
    if (v !== last.current) {
      last.current = v;
      commitNow.current(v);
    }
  };
  const change = (v: string) => {
    setText(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => flush(v), TYPING_PAUSE_MS);
  };
  // Undo/redo (or another panel) changed the value: show it, and treat it as committed.
  useEffect(() => {
    if (initial !== last.current) {
      last.current = initial;
      clearTimeout(timer.current);
      setText(initial);
    }
  }, [initial]);
  const latest = useRef(text);
  latest.current = text;
  // Leaving the object (selection change) must not lose what was typed.
  useEffect(() => () => flush(latest.current), []);
  return { text, change, flush };
}

/** A checkbox showing true, false or (boxes disagree) indeterminate. */
function TriCheck({ value, testId, onChange }: { value: boolean | undefined; testId: string; onChange: () => void }) {
  return (
    <input
      type="checkbox"
      data-testid={testId}
      checked={value === true}
      ref={(el) => {
        if (el) el.indeterminate = value === undefined;
      }}
      onChange={onChange}
    />
  );
}

export function enterCommits(e: React.KeyboardEvent, flush: () => void): void {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    flush();
  }
}

const many = (boxes: readonly Annotation[], what: string) => (boxes.length === 1 ? what : `${what} for ${boxes.length} boxes`);

export function BoxFields({ boxes }: { boxes: readonly Annotation[] }) {
  const categories = useApp((s) => s.categories);
  const ids = boxes.map((a) => a.id);
  const categoryId = common(boxes, (a) => a.categoryId);
  const mixed = categoryId === undefined;
  const catName = mixed ? '' : (categories.find((c) => c.id === categoryId)?.name ?? '');
  const category = useCommittedText(catName, (v) => {
    // A field left empty over boxes that disagree means "not set here", not "no category".
    if (mixed && v.trim() === '') return;
    void ensureCategory(v).then((id) => patchBoxes(many(boxes, 'Set category'), ids, () => ({ categoryId: id })));
  });
  const numbered = rankedCategories(categories).slice(0, CATEGORY_KEYS);
  const flag = (name: 'occluded' | 'reviewed' | 'difficult', label: string, testId: string, hint?: string) => (
    <label className="check">
      <TriCheck value={common(boxes, (a) => a[name])} testId={testId} onChange={() => toggleFlag(many(boxes, `Toggle ${name}`), name, boxes)} />
      {label} {hint && <kbd>{hint}</kbd>}
    </label>
  );
  // Truncated as it holds: the user's, else the frame's (the amodal box past the image edge).
  const image = useApp((s) => currentImage(s));
  const size = image ?? { width: Number.POSITIVE_INFINITY, height: Number.POSITIVE_INFINITY };
  const truncated = common(boxes, (a) => isTruncated(a, size));
  const fromFrame = boxes.every((a) => a.truncated === null);
  return (
    <>
      <label>
        Category
        <input
          data-testid="category-input"
          list="egm-categories"
          value={category.text}
          placeholder={mixed ? '(several)' : 'none'}
          maxLength={CATEGORY_NAME_MAX}
          onChange={(e) => category.change(capText(e.target.value, CATEGORY_NAME_MAX))}
          onBlur={() => category.flush(category.text)}
          onKeyDown={(e) => enterCommits(e, () => category.flush(category.text))}
        />
        <LimitNote length={category.text.length} max={CATEGORY_NAME_MAX} />
        <datalist id="egm-categories">
          {categories.map((c) => <option key={c.id} value={c.name} />)}
        </datalist>
      </label>
      {numbered.length > 0 && (
        <div className="quick-cats" data-testid="quick-categories" role="group" aria-label="Categories by key">
          {numbered.map((c, i) => (
            <button
              key={c.id}
              data-testid="quick-category"
              data-name={c.name}
              aria-pressed={categoryId === c.id}
              title={`${c.name} (key ${i + 1})`}
              onClick={() => patchBoxes(many(boxes, `Category '${c.name}'`), ids, () => ({ categoryId: c.id }))}
            >
              <i className="swatch" style={{ background: categoryColor(c.id) }} />
              <kbd>{i + 1}</kbd>
              {c.name}
            </button>
          ))}
        </div>
      )}
      <div className="flags">
        {flag('occluded', 'Occluded', 'occluded-input', 'O')}
        {flag('reviewed', 'Reviewed', 'reviewed-input')}
      </div>
      <div className="flags">
        <label className="check" title="The frame cuts the object: set while its amodal box passes the image edge, unless you set it here">
          <TriCheck value={truncated} testId="truncated-input" onChange={() => patchBoxes(many(boxes, 'Toggle truncated'), ids, () => ({ truncated: truncated !== true }))} />
          Truncated
          {fromFrame ? (
            <span className="muted" data-testid="truncated-auto">(from the frame)</span>
          ) : (
            <button className="mini" data-testid="truncated-reset" title="Follow the frame again: truncated while the amodal box passes the image edge" onClick={() => patchBoxes(many(boxes, 'Truncated from the frame'), ids, () => ({ truncated: null }))}>
              auto
            </button>
          )}
        </label>
        {flag('difficult', 'Difficult', 'difficult-input')}
      </div>
      <AttributeFields boxes={boxes} />
    </>
  );
}
