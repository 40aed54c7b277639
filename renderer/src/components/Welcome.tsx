// The first screen: open or make a project, and the one thing grounding needs first, a model (issue 11).
import { grounding, useGrounding } from '../grounding/store';
import { createProjectDialog, openProjectDialog, openSample } from '../state/project';

export function Welcome() {
  const noModel = useGrounding((s) => s.status.state === 'none');
  return (
    <div className="welcome" data-testid="welcome">
      <h1>EGM Annotator</h1>
      <p>Label images with visible and amodal boxes by referring phrase.</p>
      <div className="welcome-actions">
        <button data-testid="welcome-create" onClick={() => void createProjectDialog()}>New project…</button>
        <button data-testid="welcome-open" onClick={() => void openProjectDialog()}>Open project…</button>
        <button data-testid="welcome-sample" onClick={() => void openSample()}>Open sample project</button>
      </div>
      {noModel && (
        <p className="welcome-model" data-testid="welcome-model">
          To ground phrases with the model, set one up first (a model folder, a catalog download or a server).{' '}
          <button className="mini" data-testid="welcome-setup-model" title="Model panel (Ctrl+Shift+M)" onClick={() => grounding.set({ panel: 'model' })}>Set up a model</button>
        </p>
      )}
    </div>
  );
}
