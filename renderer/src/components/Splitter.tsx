// A drag handle between two panels (issue 18, "Layout": fixed widths cut file
// names at 1920×1080 and left one letter at 1000×700; a long review queue
// squeezed the image list to 6 rows). Dragging it sets the panel's CSS
// variable on the handle's parent (lib/panel-sizes.ts) directly on the
// element, so a drag re-renders nothing; the size is saved in the workbench's
// prefs when the drag ends and applied again on the next start. Arrow keys
// move it by SPLITTER_STEP, Home or a double click go back to the default.
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { clampSize, draggedSize, PANELS, parseSize, SPLITTER_STEP, type PanelName } from '../lib/panel-sizes';
import { workbench } from '../workbench/current';

function savePref(key: string, value: string): void {
  try {
    workbench().prefs?.setItem(key, value);
  } catch (err) {
    console.warn(`Layout: the panel size is not kept (${String(err)})`);
  }
}

export function Splitter({ name, label }: { name: PanelName; label: string }) {
  const spec = PANELS[name];
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ start: number; from: number } | null>(null);
  // The size shown to assistive tech; the element's style is the truth while dragging.
  const [size, setSize] = useState<number | null>(() => parseSize(spec, workbench().prefs?.getItem(spec.pref)));

  const panelEl = () => (spec.panel === 'before' ? ref.current?.previousElementSibling : ref.current?.nextElementSibling) as HTMLElement | null | undefined;
  const measure = () => {
    const r = panelEl()?.getBoundingClientRect();
    return r ? (spec.axis === 'x' ? r.width : r.height) : spec.min;
  };
  const apply = (px: number | null) => {
    const host = ref.current?.parentElement;
    if (!host) return;
    if (px === null) host.style.removeProperty(spec.cssVar);
    else host.style.setProperty(spec.cssVar, `${px}px`);
    host.toggleAttribute(`data-sized-${name}`, px !== null);
  };
  const commit = (px: number | null) => {
    apply(px);
    setSize(px);
    savePref(spec.pref, px === null ? '' : String(px));
  };

  // The saved size, before the first paint.
  useLayoutEffect(() => apply(size), []); // once: later changes are applied where they are made

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { start: spec.axis === 'x' ? e.clientX : e.clientY, from: measure() };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    apply(draggedSize(spec, d.from, (spec.axis === 'x' ? e.clientX : e.clientY) - d.start, window.innerWidth));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    commit(draggedSize(spec, d.from, (spec.axis === 'x' ? e.clientX : e.clientY) - d.start, window.innerWidth));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow = spec.axis === 'x' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    const dir = grow[e.key as keyof typeof grow];
    if (dir === undefined && e.key !== 'Home') return;
    e.preventDefault();
    e.stopPropagation(); // the splitter's keys, not the workbench's (arrows nudge boxes)
    if (e.key === 'Home') return commit(null);
    commit(clampSize(spec, measure() + (spec.panel === 'before' ? dir! : -dir!) * SPLITTER_STEP, window.innerWidth));
  };

  return (
    <div
      ref={ref}
      className={`splitter splitter-${spec.axis}`}
      data-testid={`splitter-${name}`}
      role="separator"
      aria-orientation={spec.axis === 'x' ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuemin={spec.min}
      aria-valuemax={spec.max}
      {...(size !== null ? { 'aria-valuenow': size } : {})}
      tabIndex={0}
      title={`${label}: drag to resize (arrow keys too); double-click or Home for the default`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => (drag.current = null)}
      onDoubleClick={() => commit(null)}
      onKeyDown={onKeyDown}
    />
  );
}
