// Editing one object: phrase (and its other phrases), category, flags
// (BoxFields, shared with a multi-selection), and its two boxes' numbers.
// Text is committed (one undo step) on Enter, on blur, and after a pause in
// typing, so autosave keeps up without one step per keystroke.
import type { Annotation } from '@core/types';
import { categoryColor } from '@core/category-colors';
import { formatBox } from '@core/format';
import { PHRASE_MAX } from '@core/schemas';
import { deleteSelected, deriveAmodal, removeAmodal } from '../state/annotate';
import { commitUpdate } from '../state/edits';
import { app } from '../state/store';
import { isLocked, useBoxView } from '../canvas/box-view';
import { OtherPhrases } from './OtherPhrases';
import { BoxFields, enterCommits, useCommittedText } from './BoxFields';
import { capText, LimitNote } from './TextLimit';

function patchOne(id: number, label: string, patch: Partial<Annotation>): void {
  const a = app.get().annotations.find((x) => x.id === id);
  if (a) commitUpdate(label, [a], [{ ...a, ...patch }]);
}

export function Inspector({ a }: { a: Annotation }) {
  // A locked box (canvas/box-view.ts) is shown read-only: every field and button below is disabled.
  const locked = useBoxView((s) => isLocked(a, s));
  const phrase = useCommittedText(a.phrase, (v) => patchOne(a.id, 'Edit phrase', { phrase: v }));
  return (
    <div className="inspector" data-testid="inspector" data-locked={locked}>
      <div className="swatch-row">
        <i className="swatch" style={{ background: categoryColor(a.categoryId) }} />
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
          maxLength={PHRASE_MAX}
          placeholder="e.g. the lime partly hidden behind the orange"
          onChange={(e) => phrase.change(capText(e.target.value, PHRASE_MAX))}
          onBlur={() => phrase.flush(phrase.text)}
          onKeyDown={(e) => enterCommits(e, () => phrase.flush(phrase.text))}
        />
        <LimitNote length={phrase.text.length} max={PHRASE_MAX} />
      </label>
      <OtherPhrases a={a} />
      <BoxFields boxes={[a]} />
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
