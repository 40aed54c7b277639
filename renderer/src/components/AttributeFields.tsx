// Free key/value attributes (issue 18): one row per name the project uses
// (any box of it), each a field for the value of the boxes shown — empty:
// not set, "(several)": they differ —, and a row that adds a name. A value is
// typed as text; true/false and plain numbers are kept as such. Each change
// goes to every box given, as ONE undo step; an emptied field takes the
// attribute off them.
import { useState } from 'react';
import type { Annotation } from '@core/types';
import { attributeKeyProblem, attributeValueProblem, formatAttribute, MAX_ATTRIBUTE_TEXT, parseAttributeInput } from '@core/attributes';
import { patchBoxes } from '../state/annotate';
import { app, notify, useApp } from '../state/store';
import { common, enterCommits, useCommittedText } from './BoxFields';

const many = (boxes: readonly Annotation[], what: string) => (boxes.length === 1 ? what : `${what} for ${boxes.length} boxes`);

/** Sets (or with '' takes off) one attribute on the boxes, as one step; a value the store would refuse is named instead. */
function setAttribute(boxes: readonly Annotation[], key: string, text: string): void {
  const value = parseAttributeInput(text);
  const problem = text.trim() === '' ? null : attributeValueProblem(key, value);
  if (problem) return notify(problem);
  patchBoxes(many(boxes, text.trim() === '' ? `Remove ${key}` : `Set ${key}`), boxes.map((a) => a.id), (a) => {
    const { [key]: _old, ...rest } = a.attributes;
    return { attributes: text.trim() === '' ? rest : { ...rest, [key]: value } };
  });
}

function AttributeRow({ boxes, name, focus }: { boxes: readonly Annotation[]; name: string; focus: boolean }) {
  const value = common(boxes, (a) => a.attributes[name]);
  const mixed = value === undefined && boxes.some((a) => a.attributes[name] !== undefined);
  const field = useCommittedText(mixed ? '' : formatAttribute(value), (v) => {
    if (mixed && v.trim() === '') return; // untouched over boxes that differ: nothing to change
    setAttribute(boxes, name, v);
  });
  return (
    <label className="attribute-row" data-testid="attribute-row" data-name={name}>
      <span className="attribute-name">{name}</span>
      <input
        data-testid="attribute-value"
        aria-label={`Attribute ${name}`}
        autoFocus={focus}
        value={field.text}
        maxLength={MAX_ATTRIBUTE_TEXT}
        placeholder={mixed ? '(several)' : 'not set'}
        onChange={(e) => field.change(e.target.value)}
        onBlur={() => field.flush(field.text)}
        onKeyDown={(e) => enterCommits(e, () => field.flush(field.text))}
      />
    </label>
  );
}

export function AttributeFields({ boxes }: { boxes: readonly Annotation[] }) {
  const projectKeys = useApp((s) => s.attributeKeys);
  const [name, setName] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const names = [...new Set([...projectKeys, ...boxes.flatMap((a) => Object.keys(a.attributes))])].sort();
  const add = () => {
    const key = name.trim();
    if (key === '') return;
    const problem = attributeKeyProblem(key);
    if (problem) return notify(problem);
    setName('');
    setAdded(key);
    // A new name is the project's from now on: every box shows its field.
    if (!app.get().attributeKeys.includes(key)) app.set({ attributeKeys: [...app.get().attributeKeys, key].sort() });
  };
  return (
    <div className="attributes" data-testid="attributes">
      <span className="muted">Attributes</span>
      {names.map((n) => <AttributeRow key={n} boxes={boxes} name={n} focus={n === added} />)}
      <input
        data-testid="attribute-add"
        className="attribute-add"
        placeholder="add an attribute name (Enter), e.g. pose"
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => enterCommits(e, add)}
      />
    </div>
  );
}
