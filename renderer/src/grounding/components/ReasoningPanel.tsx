// The model's reasoning as it is written, one pane per box kind, stacked so
// each has the side panel's width. Reasoning reads as prose (proportional
// font); the raw answer is folded under "Answer". While text streams in, a
// pane follows the end only if the user is at the bottom of it, so scrolling
// up to read is not undone by the next token (issue 11). Subscribes to the
// reasoning store only: tokens re-render this and nothing else.
import { useLayoutEffect, useRef } from 'react';
import { useReasoning } from '../reasoning';
import { useGrounding } from '../store';
import { transcriptParts } from '../../lib/answer-text';

/** Within this many px of the end counts as "at the bottom". */
const STICK_PX = 12;

function Pane({ kind, text, streaming }: { kind: 'visible' | 'amodal'; text: string; streaming: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  // The text's height after the last update: the reader was at the bottom if the view reached it.
  // Judged from the position itself, not from scroll events, which may arrive after the next token.
  const lastHeight = useRef(0);
  const { reasoning, answer } = transcriptParts(text);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.scrollTop + el.clientHeight >= lastHeight.current - STICK_PX) el.scrollTop = el.scrollHeight;
    lastHeight.current = el.scrollHeight;
  }, [reasoning]);
  return (
    <section className="reasoning-pane" data-kind={kind}>
      <h4 className="reasoning-kind">{kind === 'visible' ? 'Visible box' : 'Amodal box'} · reasoning</h4>
      <div ref={ref} className="reasoning-text" data-testid={`reasoning-${kind}`} tabIndex={0}>
        {reasoning || (streaming ? '…' : '(no reasoning)')}
      </div>
      {answer && (
        <details className="reasoning-answer" data-testid={`answer-${kind}`}>
          <summary>Answer</summary>
          <pre>{answer}</pre>
        </details>
      )}
    </section>
  );
}

export function ReasoningPanel() {
  const visible = useReasoning((s) => s.visible);
  const amodal = useReasoning((s) => s.amodal);
  const streaming = useGrounding((s) => s.query !== null);
  const kinds = useGrounding((s) => s.settings?.grounding.kinds ?? 'both');
  if (!visible && !amodal && !streaming) return null;
  return (
    <div className="reasoning" data-testid="reasoning-panel" data-streaming={streaming}>
      {(kinds !== 'amodal' || visible) && <Pane kind="visible" text={visible} streaming={streaming} />}
      {(kinds !== 'visible' || amodal) && <Pane kind="amodal" text={amodal} streaming={streaming} />}
    </div>
  );
}
