// The zoom readout in the status bar, and its menu of presets (issue 18:
// 100, 200 and 400 %, and Fit): a click on the percentage opens it; a preset,
// Esc or a click elsewhere closes it. The keys are in the ? overlay.
import { useEffect, useRef, useState } from 'react';
import { ZOOM_PRESETS } from '@core/zoom-steps';
import { app, useApp } from '../state/store';
import { useView } from '../state/view';
import { commands } from '../commands/app-commands';
import { fitView, zoomTo } from './viewport';

const PRESET_KEYS: Record<number, string> = { 1: 'view.actual', 2: 'view.zoom200', 4: 'view.zoom400' };

/** The key shown beside a preset: the first binding of its command. */
function keyOf(id: string): string {
  return commands.get(id).keys[0]?.replace('Mod', 'Ctrl') ?? '';
}

export function ZoomMenu() {
  const scale = useView((s) => s.vp.scale);
  const hasImage = useApp((s) => s.currentImageId !== null);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('pointerdown', away, true);
    return () => window.removeEventListener('pointerdown', away, true);
  }, [open]);
  const pick = (act: () => void) => {
    act();
    setOpen(false);
  };
  return (
    <span className="zoom-menu" ref={box}>
      <button className="mini zoom-readout" data-testid="status-zoom" aria-haspopup="menu" aria-expanded={open} disabled={!hasImage} title="Zoom presets" onClick={() => setOpen(!open)}>
        {Math.round(scale * 100)}%
      </button>
      {open && (
        <div className="zoom-presets" role="menu" data-testid="zoom-presets" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}>
          {ZOOM_PRESETS.map((p) => (
            <button key={p} role="menuitem" data-testid={`zoom-preset-${p * 100}`} className={Math.abs(scale - p) < 1e-6 ? 'active' : ''} onClick={() => pick(() => zoomTo(p))}>
              {p * 100} % <kbd>{keyOf(PRESET_KEYS[p]!)}</kbd>
            </button>
          ))}
          <button role="menuitem" data-testid="zoom-preset-fit" onClick={() => pick(() => (app.get().currentImageId !== null ? fitView() : undefined))}>
            Fit <kbd>F</kbd>
          </button>
        </div>
      )}
    </span>
  );
}
