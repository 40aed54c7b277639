// Vertical tool strip: tools, then view controls.
import { ViewControls } from '../canvas/ViewControls';
import { commands } from '../commands/app-commands';
import { app, useApp, type Tool } from '../state/store';

const TOOLS: { tool: Tool; key: string; label: string; icon: string }[] = [
  { tool: 'select', key: 'V', label: 'Select / move', icon: '⬚' },
  { tool: 'visible', key: 'R', label: 'Draw visible box', icon: '▭' },
  { tool: 'amodal', key: 'A', label: 'Draw amodal box (Alt: free)', icon: '⬜' },
];

export function Toolbar() {
  const tool = useApp((s) => s.tool);
  const run = (id: string) => void commands.run(id, app.get());
  return (
    <aside className="toolbar" data-testid="toolbar">
      {TOOLS.map((t) => (
        <button
          key={t.tool}
          data-testid={`tool-${t.tool}`}
          className={tool === t.tool ? 'tool active' : 'tool'}
          aria-pressed={tool === t.tool}
          title={`${t.label} (${t.key})`}
          onClick={() => app.set({ tool: t.tool })}
        >
          <span className={`tool-icon tool-icon-${t.tool}`}>{t.icon}</span>
          <kbd>{t.key}</kbd>
        </button>
      ))}
      <hr />
      <button className="tool" data-testid="zoom-in" title="Zoom in (+)" onClick={() => run('view.zoomIn')}>+</button>
      <button className="tool" data-testid="zoom-out" title="Zoom out (-)" onClick={() => run('view.zoomOut')}>−</button>
      <button className="tool" data-testid="zoom-fit" title="Fit (F)" onClick={() => run('view.fit')}>Fit</button>
      <button className="tool" data-testid="zoom-1" title="Actual size (Ctrl+1)" onClick={() => run('view.actual')}>1:1</button>
      <hr />
      <ViewControls />
    </aside>
  );
}
