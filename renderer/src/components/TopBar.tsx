// Project actions, undo/redo and the autosave indicator.
import { commands } from '../commands/app-commands';
import { history } from '../state/edits';
import { app, useApp } from '../state/store';
import { SaveIndicator } from './SaveIndicator';

function run(id: string) {
  void commands.run(id, app.get());
}

export function TopBar() {
  const project = useApp((s) => s.project);
  useApp((s) => s.historyTick); // re-render when undo/redo availability changes
  const progress = useApp((s) => s.progress);
  return (
    <header className="topbar">
      <span className="brand">EGM</span>
      <span className="project-name" data-testid="project-name" title={project?.path}>
        {project ? project.name : 'No project'}
      </span>
      <nav className="topbar-actions">
        <button data-testid="btn-new" onClick={() => run('project.create')}>New</button>
        <button data-testid="btn-open" onClick={() => run('project.open')}>Open</button>
        <button data-testid="btn-add-images" disabled={!project} onClick={() => run('project.addImages')}>Add images</button>
        <button data-testid="btn-import" disabled={!project} onClick={() => run('project.import')}>Import COCO</button>
        <button data-testid="btn-export" disabled={!project} onClick={() => run('project.export')}>Export…</button>
        <button data-testid="btn-categories" disabled={!project} onClick={() => run('project.categories')}>Categories…</button>
        <button data-testid="btn-evaluate" disabled={!project} onClick={() => run('project.evaluate')}>Evaluate…</button>
        <span className="sep" />
        <button data-testid="btn-undo" disabled={!history.canUndo} title={`Undo ${history.undoLabel ?? ''} (Ctrl+Z)`} onClick={() => run('edit.undo')}>Undo</button>
        <button data-testid="btn-redo" disabled={!history.canRedo} title={`Redo ${history.redoLabel ?? ''} (Ctrl+Shift+Z)`} onClick={() => run('edit.redo')}>Redo</button>
      </nav>
      {progress && (
        <span className="progress" data-testid="import-progress" data-label={progress.label}>
          {progress.label} {progress.total > 0 ? `${progress.done}/${progress.total}` : '…'}
          {/* Without a total yet (a COCO file being read) the bar runs without a value: busy, amount unknown. */}
          {progress.total > 0 ? <progress max={progress.total} value={progress.done} /> : <progress />}
        </span>
      )}
      <span className="grow" />
      <SaveIndicator />
      <button data-testid="btn-help" className="icon" title="Shortcuts (?)" onClick={() => run('view.help')}>?</button>
    </header>
  );
}
