// The model's reasoning as it is written, one column per box kind. Subscribes
// to the reasoning store only, so streaming tokens re-render this and nothing
// else; each column keeps its end in view while text arrives.
import { useEffect, useRef } from 'react';
import { useReasoning } from '../reasoning';
import { useGrounding } from '../store';

function Column({ kind, text }: { kind: 'visible' | 'amodal'; text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <div className="reasoning-col">
      <div className="reasoning-kind">{kind}</div>
      <pre ref={ref} data-testid={`reasoning-${kind}`}>{text || '…'}</pre>
    </div>
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
      {(kinds !== 'amodal' || visible) && <Column kind="visible" text={visible} />}
      {(kinds !== 'visible' || amodal) && <Column kind="amodal" text={amodal} />}
    </div>
  );
}
