// The workbench shell: top bar, tools, image list, canvas, side panel, status.
// Mirrors the app phase onto #root[data-app-state] so tests can wait on it.
import { useEffect } from 'react';
import { CanvasView } from '../canvas/CanvasView';
import { useKeyboard } from '../commands/useKeyboard';
import { BatchDialog } from '../grounding/components/BatchDialog';
import { BulkReviewDialog } from '../grounding/components/BulkReviewDialog';
import { ModelPanel } from '../grounding/components/ModelPanel';
import { PhraseBar } from '../grounding/components/PhraseBar';
import { startGrounding } from '../grounding/wiring';
import { boot } from '../state/project';
import { app, useApp } from '../state/store';
import { hasUnsavedEdits, installUnloadGuard } from '../state/unsaved';
import { ErrorBanner } from './ErrorBanner';
import { HelpOverlay } from './HelpOverlay';
import { ExportDialog } from './ExportDialog';
import { EvaluateDialog } from './EvaluateDialog';
import { CategoriesDialog } from './CategoriesDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { SkippedDialog } from './SkippedDialog';
import { installDialogKeys } from './dialog-layer';
import { installFieldUndo } from '../lib/field-undo';
import { ImageList } from './ImageList';
import { SidePanel } from './SidePanel';
import { Splitter } from './Splitter';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import { TopBar } from './TopBar';
import { Welcome } from './Welcome';

export function App() {
  const phase = useApp((s) => s.phase);
  const hasProject = useApp((s) => s.project !== null);
  useKeyboard();

  useEffect(() => {
    void boot();
  }, []);
  useEffect(() => startGrounding(), []);
  // Before the workbench's own key handler: keys for the topmost dialog, and undo inside a text field.
  useEffect(() => installDialogKeys(window), []);
  useEffect(() => installFieldUndo(window), []);
  // Closing or reloading with edits not yet saved asks first.
  useEffect(() => installUnloadGuard(window, () => hasUnsavedEdits(app.get().save)), []);
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', phase);
  }, [phase]);

  return (
    <div className="app" data-testid="app">
      <TopBar />
      <ErrorBanner />
      {hasProject ? (
        <div className="workbench">
          <Toolbar />
          <ImageList />
          <Splitter name="images" label="Image list width" />
          <main className="stage-area">
            <PhraseBar />
            <div className="stage-canvas">
              <CanvasView />
            </div>
          </main>
          <Splitter name="side" label="Side panel width" />
          <SidePanel />
        </div>
      ) : (
        phase !== 'booting' && <Welcome />
      )}
      <StatusBar />
      <HelpOverlay />
      <ModelPanel />
      <BatchDialog />
      <BulkReviewDialog />
      <ExportDialog />
      <EvaluateDialog />
      <CategoriesDialog />
      <SkippedDialog />
      <ConfirmDialog />
    </div>
  );
}
