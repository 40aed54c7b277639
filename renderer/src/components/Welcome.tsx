import { createProjectDialog, openProjectDialog, openSample } from '../state/project';

export function Welcome() {
  return (
    <div className="welcome" data-testid="welcome">
      <h1>EGM Annotator</h1>
      <p>Label images with visible and amodal boxes by referring phrase.</p>
      <div className="welcome-actions">
        <button data-testid="welcome-create" onClick={() => void createProjectDialog()}>New project…</button>
        <button data-testid="welcome-open" onClick={() => void openProjectDialog()}>Open project…</button>
        <button data-testid="welcome-sample" onClick={() => void openSample()}>Open sample project</button>
      </div>
    </div>
  );
}
