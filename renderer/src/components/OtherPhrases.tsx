// An object's other referring phrases (issue 9: RefCOCO has about three per
// object): listed under the main phrase, each removable, and a field that adds
// one on Enter. Every change is one undo step and is saved like any edit.
import { useState } from 'react';
import { PHRASE_MAX } from '@core/schemas';
import type { Annotation } from '@core/types';
import { commitUpdate } from '../state/edits';
import { app } from '../state/store';
import { capText, LimitNote } from './TextLimit';

function setPhrases(id: number, label: string, morePhrases: string[]): void {
  const a = app.get().annotations.find((x) => x.id === id);
  if (a) commitUpdate(label, [a], [{ ...a, morePhrases }]);
}

export function OtherPhrases({ a }: { a: Annotation }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const phrase = draft.trim();
    setDraft('');
    if (phrase === '' || phrase === a.phrase.trim() || a.morePhrases.includes(phrase)) return;
    setPhrases(a.id, 'Add phrase', [...a.morePhrases, phrase]);
  };
  return (
    <div className="other-phrases" data-testid="other-phrases">
      <span className="muted">Also called</span>
      <ul>
        {a.morePhrases.map((p, i) => (
          <li key={`${i}:${p}`} data-testid="other-phrase">
            <span>{p}</span>
            <button
              title="Remove this phrase"
              aria-label={`Remove phrase ${p}`}
              data-testid="btn-remove-phrase"
              onClick={() => setPhrases(a.id, 'Remove phrase', a.morePhrases.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        data-testid="add-phrase-input"
        value={draft}
        maxLength={PHRASE_MAX}
        placeholder="another phrase (Enter adds it)"
        onChange={(e) => setDraft(capText(e.target.value, PHRASE_MAX))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <LimitNote length={draft.length} max={PHRASE_MAX} />
    </div>
  );
}
