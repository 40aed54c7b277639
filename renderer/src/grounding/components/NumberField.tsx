// A small integer field that commits on Enter or blur (one settings write per change, not per keystroke).
import { useEffect, useState } from 'react';

interface Props {
  testId: string;
  label: string;
  title: string;
  min: number;
  max: number;
  value: number | undefined;
  onCommit: (v: number) => void;
}

export function NumberField({ testId, label, title, min, max, value, onCommit }: Props) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);
  const commit = () => {
    const v = Math.round(Number(text));
    if (!Number.isFinite(v) || text.trim() === '') return setText(value === undefined ? '' : String(value));
    const clamped = Math.min(max, Math.max(min, v));
    setText(String(clamped));
    if (clamped !== value) onCommit(clamped);
  };
  return (
    <label className="num-field" title={title}>
      {label}
      <input
        data-testid={testId}
        type="number"
        min={min}
        max={max}
        value={text}
        // Wide enough for the largest allowed value (a 16,777,216-pixel cap must not read as "10035").
        style={{ width: `${String(max).length + 3}ch` }}
        disabled={value === undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
    </label>
  );
}
