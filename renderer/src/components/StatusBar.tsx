import { useEffect } from 'react';
import { app, currentImage, useApp } from '../state/store';
import { BatchChip } from '../grounding/components/BatchChip';
import { SkippedButton } from './SkippedDialog';
import { ZoomMenu } from '../canvas/ZoomMenu';

export function StatusBar() {
  const img = useApp((s) => currentImage(s));
  const count = useApp((s) => s.annotations.length);
  const sel = useApp((s) => s.selection.length);
  const tool = useApp((s) => s.tool);
  const cursor = useApp((s) => s.cursor);
  const notice = useApp((s) => s.notice);
  // A notice answers the last action: the next key or click clears it, not only its 4 s timer (issue 11).
  useEffect(() => {
    if (!notice) return;
    const clear = (e: Event) => {
      if (e instanceof KeyboardEvent && ['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) return;
      if (app.get().notice === notice) app.set({ notice: null });
    };
    window.addEventListener('keydown', clear, true);
    window.addEventListener('pointerdown', clear, true);
    return () => {
      window.removeEventListener('keydown', clear, true);
      window.removeEventListener('pointerdown', clear, true);
    };
  }, [notice]);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-image">{img ? `${img.fileName} · ${img.width}×${img.height}` : '—'}</span>
      <span>{count} {count === 1 ? 'box' : 'boxes'}{sel ? ` · ${sel} selected` : ''}</span>
      <span>tool: {tool}</span>
      <ZoomMenu />
      <span className="mono" data-testid="status-cursor">
        {cursor && img && cursor[0] >= 0 && cursor[1] >= 0 && cursor[0] <= img.width && cursor[1] <= img.height ? `${cursor[0]}, ${cursor[1]} px` : ''}
      </span>
      <span className="grow" />
      <span data-testid="notice" className="notice" role="status" title={notice ?? undefined}>{notice}</span>
      <SkippedButton />
      <BatchChip />
      <span className="muted">? shortcuts</span>
    </footer>
  );
}
