import { useShallow } from 'zustand/react/shallow';
import { commands } from '../commands/app-commands';
import { deleteSelected } from '../state/annotate';
import { app, selectedAnnotations, useApp } from '../state/store';
import { ProposalPanel } from '../grounding/components/ProposalPanel';
import { NegativeList } from '../grounding/components/NegativeList';
import { BoxList } from './BoxList';
import { BoxFields } from './BoxFields';
import { Inspector } from './Inspector';

export function SidePanel() {
  const selected = useApp(useShallow((s) => selectedAnnotations(s)));
  const count = selected.length;
  return (
    <aside className="side" data-testid="side-panel">
      <ProposalPanel />
      <div className="panel-head">
        <span>Object</span>
        {count > 1 && <span className="muted" data-testid="selection-count">{count} selected</span>}
        {count > 0 && (
          <button className="mini" data-testid="btn-copy-next" title="Copy the selected boxes to the next image (Shift+N)" onClick={() => void commands.run('edit.copyToNext', app.get())}>
            Copy → next
          </button>
        )}
      </div>
      {count === 1 ? (
        <Inspector key={selected[0]!.id} a={selected[0]!} />
      ) : count > 1 ? (
        // Keyed by the selection: a field's pending text goes to the boxes it was typed for.
        <div className="inspector" data-testid="inspector-multi" key={selected.map((a) => a.id).join(',')}>
          <p className="muted">Every change below goes to all {count} boxes, as one undo step (keys 1–9 too).</p>
          <BoxFields boxes={selected} />
          <div className="row-actions">
            <button data-testid="btn-delete" className="danger" onClick={deleteSelected}>Delete {count}</button>
          </div>
        </div>
      ) : (
        <p className="muted hint">Select a box, or draw one with R.</p>
      )}
      <BoxList />
      <NegativeList />
    </aside>
  );
}
