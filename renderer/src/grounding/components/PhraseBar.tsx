// The phrase bar over the canvas: type what you mean, Enter asks the model;
// ↑/↓ walk the recent phrases; which boxes to ask for; the point tool; the
// test-time scaling knobs (reasoning budget, self-consistency N); batch and
// model panels. Esc (a registered command) cancels a running query.
import { useEffect, useState } from 'react';
import { stepRecent } from '@core/grounding-ui';
import { PHRASE_MAX } from '@core/schemas';
import type { GroundingSettings } from '@core/types';
import { useApp } from '../../state/store';
import { PHRASE_INPUT_ID } from '../commands';
import { saveGroundingSettings } from '../model';
import { cancelQuery, ground, retryFailedQuery, togglePointTool } from '../query';
import { recordNegative } from '../negatives';
import { grounding, useGrounding } from '../store';
import { capText, LimitNote } from '../../components/TextLimit';
import { ModelChip } from './ModelChip';
import { NumberField } from './NumberField';
import '../grounding.css';

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, []);
  return <span className="mono muted">{((now - since) / 1000).toFixed(1)} s</span>;
}

export function PhraseBar() {
  const [text, setText] = useState('');
  const [recentIndex, setRecentIndex] = useState(-1);
  const [draft, setDraft] = useState('');
  const [showRecent, setShowRecent] = useState(false);
  const query = useGrounding((s) => s.query);
  const point = useGrounding((s) => s.point);
  const pointTool = useGrounding((s) => s.pointTool);
  const recent = useGrounding((s) => s.recent);
  const settings = useGrounding((s) => s.settings?.grounding);
  const error = useGrounding((s) => s.queryError);
  const canRetry = useGrounding((s) => s.failedQuery !== null && s.query === null);
  const hasImage = useApp((s) => s.currentImageId !== null);
  const noModel = useGrounding((s) => s.status.state === 'none');
  const openModelPanel = () => grounding.set({ panel: 'model', queryError: null, failedQuery: null });

  const run = (phrase = text) => {
    setRecentIndex(-1);
    setShowRecent(false);
    setText(phrase);
    void ground(phrase);
  };
  const walk = (delta: 1 | -1) => {
    const i = stepRecent(recentIndex, delta, recent.length);
    if (recentIndex === -1) setDraft(text);
    setRecentIndex(i);
    setText(i === -1 ? draft : recent[i]!);
  };
  const onKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      run();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      walk(1);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      walk(-1);
    }
  };
  const set = (patch: Partial<GroundingSettings>) => void saveGroundingSettings(patch);

  return (
    <div className="phrase-bar" data-testid="phrase-bar">
      <div className="phrase-main">
        <div className="phrase-field">
          <input
            data-testid={PHRASE_INPUT_ID}
            value={text}
            maxLength={PHRASE_MAX}
            disabled={!hasImage}
            placeholder="e.g. the lime partly hidden behind the orange   (/ focuses, ↑ recent)"
            aria-label="Phrase to find"
            onChange={(e) => {
              setText(capText(e.target.value, PHRASE_MAX));
              setRecentIndex(-1);
            }}
            onKeyDown={onKey}
            spellCheck={false}
          />
          <button className="mini" data-testid="btn-recent" title="Recent phrases (↑ in the field)" disabled={recent.length === 0} onClick={() => setShowRecent(!showRecent)}>▾</button>
          {showRecent && (
            <ul className="recent-list" data-testid="recent-list">
              {recent.map((r) => (
                <li key={r}>
                  <button data-testid="recent-item" onMouseDown={(e) => e.preventDefault()} onClick={() => run(r)}>{r}</button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {query ? (
          <button data-testid="btn-cancel-query" className="danger" title="Cancel (Esc)" onClick={() => void cancelQuery()}>
            Cancel <Elapsed since={query.startedAt} />
          </button>
        ) : (
          <button data-testid="btn-ground" className="primary" disabled={!hasImage || !text.trim()} title="Ask the model (Enter)" onClick={() => run()}>Ground</button>
        )}
        <LimitNote length={text.length} max={PHRASE_MAX} />
        <button
          data-testid="btn-record-negative"
          disabled={!hasImage || !text.trim() || query !== null}
          title="Record that this phrase has no object in this image, without asking the model (issue 11)"
          onClick={() => void recordNegative(text)}
        >
          Not here
        </button>
      </div>
      <div className="phrase-options">
        <select data-testid="kinds-select" title="Which boxes Enter asks for" value={settings?.kinds ?? 'both'} disabled={!settings} onChange={(e) => set({ kinds: e.target.value as GroundingSettings['kinds'] })}>
          <option value="both">both boxes</option>
          <option value="visible">visible only</option>
          <option value="amodal">amodal only</option>
        </select>
        <button data-testid="btn-point-tool" className={pointTool ? 'active' : ''} aria-pressed={pointTool} title="Point tool (T): click the object; Ctrl+click also works" onClick={togglePointTool}>
          <i className="point-icon" />
          {point ? <span className="mono" data-testid="point-coords">{point[0]},{point[1]}</span> : 'Point'}
        </button>
        {point && <button className="mini" data-testid="btn-clear-point" title="Clear the point (Shift+T)" onClick={() => grounding.set({ point: null })}>×</button>}
        <NumberField testId="budget-input" label="budget" title="Reasoning budget: max new tokens per answer" min={16} max={32768} value={settings?.maxNewTokens} onCommit={(v) => set({ maxNewTokens: v })} />
        <NumberField testId="samples-input" label="N" title="Self-consistency: sample N answers and fuse them; agreement becomes the confidence" min={1} max={16} value={settings?.samples} onCommit={(v) => set({ samples: v })} />
        <span className="grow" />
        <button data-testid="btn-batch" title="Batch auto-label (Ctrl+B)" onClick={() => grounding.set({ panel: 'batch' })}>Batch…</button>
        <ModelChip />
      </div>
      {noModel && !error && (
        <div className="phrase-setup" data-testid="model-setup-hint">
          <span>Set up a model first: grounding a phrase needs one (a model folder, a catalog download or a server).</span>
          <button className="mini primary" data-testid="btn-setup-model" title="Model panel (Ctrl+Shift+M)" onClick={openModelPanel}>Set up a model</button>
        </div>
      )}
      {error && noModel && (
        <div className="phrase-error" data-testid="query-error" role="alert">
          <span>No model is set up yet, so nothing can be grounded. Choose a model folder, download one, or connect a server.</span>
          <button className="mini primary" data-testid="btn-setup-model" title="Model panel (Ctrl+Shift+M)" onClick={openModelPanel}>Set up a model</button>
          <button className="mini" aria-label="Dismiss" onClick={() => grounding.set({ queryError: null, failedQuery: null })}>×</button>
        </div>
      )}
      {error && !noModel && (
        <div className="phrase-error" data-testid="query-error" role="alert">
          <span>{error}</span>{' '}
          {canRetry && <button className="mini" data-testid="btn-retry-after-error" title="Ask again with the same phrase and point" onClick={() => void retryFailedQuery()}>Retry</button>}
          <button className="mini" aria-label="Dismiss" onClick={() => grounding.set({ queryError: null, failedQuery: null })}>×</button>
        </div>
      )}
    </div>
  );
}
