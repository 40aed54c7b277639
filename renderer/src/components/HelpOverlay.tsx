// Every registered command with its keys, grouped: generated, so never stale.
import { formatChord } from '@core/commands';
import { commands } from '../commands/app-commands';
import { app, useApp } from '../state/store';
import { Modal } from './Modal';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function HelpOverlay() {
  const open = useApp((s) => s.helpOpen);
  if (!open) return null;
  const groups = new Map<string, ReturnType<typeof commands.all>>();
  for (const c of commands.all().filter((x) => x.inHelp !== false)) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return (
    <Modal testId="help-overlay" title="Keyboard shortcuts" className="help" toggleKeys={['?']} onClose={() => app.set({ helpOpen: false })}>
      <h2>Keyboard shortcuts</h2>
      <div className="help-cols">
        {[...groups].map(([group, list]) => (
          <section key={group}>
            <h3>{group}</h3>
            <table>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id} data-testid={`help-${c.id}`}>
                    <td className="keys">{c.helpKeys ? <kbd>{c.helpKeys}</kbd> : c.keys.map((k) => <kbd key={k}>{formatChord(k, mac)}</kbd>)}</td>
                    <td>{c.label}</td>
                  </tr>
                ))}
                {group === 'View' && (
                  <tr>
                    <td className="keys"><kbd>Space</kbd>+drag, middle drag, wheel</td>
                    <td>Pan, zoom at cursor</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <p className="muted">Press ? or Esc to close.</p>
    </Modal>
  );
}
