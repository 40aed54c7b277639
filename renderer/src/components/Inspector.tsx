// Editing one object: phrase (and its other phrases), category, flags, and its two boxes' numbers.
// Text is committed (one undo step) on Enter, on blur, and after a pause in
// typing, so autosave keeps up without one step per keystroke.
import { useEffect, useRef, useState } from 'react';
import type { Annotation } from '@core/types';
import { formatBox } from '@core/format';
import { deleteSelected, deriveAmodal, removeAmodal } from '../state/annotate';
import { commitUpdate } from '../state/edits';
import { ensureCategory } from '../state/project';
import { app, useApp } from '../state/store';
import { isLocked, useBoxView } from '../canvas/box-view';
import { OtherPhrases } from './OtherPhrases';

const TYPING_PAUSE_MS = 700;

function patchOne(id: number, label: string, patch: Partial<Annotation>): void {
  const a = app.get().annotations.find((x) => x.id === id);
  if (a) commitUpdate(label, [a], [{ ...a, ...patch }]);
}

function useCommittedText(initial: string, commit: (v: string) => void) {
  const [text, setText] = useState(initial);
  const last = useRef(initial);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const flush = (v: string) => {
    clearTimeout(timer.current);
    if (v !== last.current) {
      last.current = v;
      commit(v);
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

export function Inspector({ a }: { a: Annotation }) {
  const categories = useApp((s) => s.categories);
  // A locked box (canvas/box-view.ts) is shown read-only: every field and button below is disabled.
  const locked = useBoxView((s) => isLocked(a, s));
  const catName = categories.find((c) => c.id === a.categoryId)?.name ?? '';
  const phrase = useCommittedText(a.phrase, (v) => patchOne(a.id, 'Edit phrase', { phrase: v }));
  const category = useCommittedText(catName, (v) => {
    void ensureCategory(v).then((categoryId) => patchOne(a.id, 'Set category', { categoryId }));
  });
  const enter = (e: React.KeyboardEvent, flush: () => void) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      flush();
    }
  };
  return (
    <div className="inspector" data-testid="inspector" data-locked={locked}>
      <div className="swatch-row">
        <i className="swatch" style={{ background: a.color }} />
        <span className="muted">{a.source === 'model' ? `model ${a.model ?? ''}${a.score !== null ? ` · ${a.score.toFixed(2)}` : ''}` : 'manual'}</span>
        {locked && <span className="muted" data-testid="inspector-locked">· locked (read-only)</span>}
      </div>
      <fieldset className="inspector-fields" disabled={locked}>
      <label>
        Phrase
        <textarea
          data-testid="phrase-input"
          rows={2}
          value={phrase.text}
          placeholder="e.g. the lime partly hidden behind the orange"
          onChange={(e) => phrase.change(e.target.value)}
          onBlur={() => phrase.flush(phrase.text)}
          onKeyDown={(e) => enter(e, () => phrase.flush(phrase.text))}
        />
      </label>
      <OtherPhrases a={a} />
      <label>
        Category
        <input
          data-testid="category-input"
          list="egm-categories"
          value={category.text}
          onChange={(e) => category.change(e.target.value)}
          onBlur={() => category.flush(category.text)}
          onKeyDown={(e) => enter(e, () => category.flush(category.text))}
        />
        <datalist id="egm-categories">
          {categories.map((c) => <option key={c.id} value={c.name} />)}
        </datalist>
      </label>
      <div className="flags">
        <label className="check">
          <input type="checkbox" data-testid="occluded-input" checked={a.occluded} onChange={(e) => patchOne(a.id, 'Toggle occluded', { occluded: e.target.checked })} />
          Occluded <kbd>O</kbd>
        </label>
        <label className="check">
          <input type="checkbox" data-testid="reviewed-input" checked={a.reviewed} onChange={(e) => patchOne(a.id, 'Toggle reviewed', { reviewed: e.target.checked })} />
          Reviewed
        </label>
      </div>
      <dl className="coords">
        <dt>Visible</dt>
        <dd data-testid="visible-coords">{formatBox(a.visible, true)}</dd>
        <dt>Amodal</dt>
        <dd data-testid="amodal-coords">{formatBox(a.amodal, true)}</dd>
      </dl>
      <div className="row-actions">
        {a.amodal ? (
          <button data-testid="btn-remove-amodal" onClick={removeAmodal}>Remove amodal</button>
        ) : (
          <button data-testid="btn-derive-amodal" onClick={deriveAmodal} title="Start the amodal box from the visible box (D)">Derive amodal</button>
        )}
        <button data-testid="btn-delete" className="danger" onClick={deleteSelected}>Delete</button>
      </div>
      </fieldset>
    </div>
  );
}
