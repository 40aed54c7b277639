import { commands } from '../commands/app-commands';
import { app, useApp } from '../state/store';
import { ProposalPanel } from '../grounding/components/ProposalPanel';
import { NegativeList } from '../grounding/components/NegativeList';
import { BoxList } from './BoxList';
import { Inspector } from './Inspector';

export function SidePanel() {
  const selected = useApp((s) => (s.selection.length === 1 ? s.annotations.find((a) => a.id === s.selection[0]) : undefined));
  const count = useApp((s) => s.selection.length);
  return (
    <aside className="side" data-testid="side-panel">
      <ProposalPanel />
      <div className="panel-head">
        <span>Object</span>
        {count > 1 && <span className="muted">{count} selected</span>}
        {count > 0 && (
          <button className="mini" data-testid="btn-copy-next" title="Copy the selected boxes to the next image (Shift+N)" onClick={() => void commands.run('edit.copyToNext', app.get())}>
            Copy → next
          </button>
        )}
      </div>
      {selected ? <Inspector key={selected.id} a={selected} /> : <p className="muted hint">{count > 1 ? 'Several boxes selected: Delete, copy or nudge them together.' : 'Select a box, or draw one with R.'}</p>}
      <BoxList />
      <NegativeList />
    </aside>
  );
}
