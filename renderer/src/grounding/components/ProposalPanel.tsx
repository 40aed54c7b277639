// The proposal under review (or the query being answered): phrase, latency,
// confidence, the point check with Retry, Accept / Reject, and the reasoning.
import { formatConfidence, formatLatency, proposalBoxes } from '@core/grounding-ui';
import { formatBox } from '@core/format';
import { categoryColor } from '@core/category-colors';
import { retryActive } from '../query';
import { matchingAnnotation } from '@core/phrase-match';
import { useApp } from '../../state/store';
import { acceptActive, addPhraseToMatch, rejectActive } from '../review';
import { markActiveAbsent } from '../negatives';
import { activeProposal, useGrounding } from '../store';
import { useReasoning } from '../reasoning';
import { missingBoxLine, transcriptParts } from '../../lib/answer-text';
import { ReasoningPanel } from './ReasoningPanel';
import { confirmAcceptAll } from './accept-all';

export function ProposalPanel() {
  const p = useGrounding((s) => activeProposal(s));
  const edit = useGrounding((s) => (p ? s.edits[p.id] : undefined));
  const categoryId = useGrounding((s) => (p ? s.categories[p.id] : undefined));
  const categories = useApp((s) => s.categories);
  const query = useGrounding((s) => s.query);
  const annotations = useApp((s) => s.annotations);
  const onScreen = useApp((s) => s.currentImageId);
  const onImage = useGrounding((s) => s.queue.filter((x) => x.imageId === onScreen).length);
  // A missing box in the model's own words (its answer, streamed or stored), not the reason code.
  const missing = useReasoning((r) => {
    if (!p?.reason || query) return null;
    const kind = p.reason.startsWith('amodal:') || (!p.reasoningVisible && p.reasoningAmodal) ? 'amodal' : 'visible';
    const parts = transcriptParts(r[kind] || (kind === 'visible' ? p.reasoningVisible : p.reasoningAmodal));
    return missingBoxLine(p.reason, parts.answer, parts.reasoning);
  });
  if (!p && !query) return null;
  // The object this answer found again, if it is already labelled: its phrase can be added to it instead.
  const match = p && !query && p.imageId === onScreen ? matchingAnnotation(p.visible, annotations) : null;
  const boxes = p ? proposalBoxes(p, edit) : null;
  return (
    <section className="proposal-panel" data-testid="proposal-panel">
      <div className="panel-head">
        <span>{query ? 'Asking the model' : 'Proposal'}</span>
        {p && !query && <span className="muted" data-testid="proposal-meta">{formatLatency(p.latencyMs)} · {formatConfidence(p.score)}</span>}
      </div>
      <div className="proposal-body">
        <div className="proposal-phrase" data-testid="proposal-phrase">“{query ? query.phrase : p!.phrase}”</div>
        {p && !query && boxes && (
          <>
            <dl className="coords">
              <dt>Visible</dt>
              <dd data-testid="proposal-visible">{formatBox(boxes.visible)}</dd>
              <dt>Amodal</dt>
              <dd data-testid="proposal-amodal">{formatBox(boxes.amodal)}</dd>
            </dl>
            <div className="swatch-row" data-testid="proposal-category" title="Keys 1–9 choose the category it is accepted with">
              <span className="muted">Category</span>
              <i className="swatch" style={{ background: categoryColor(categoryId ?? null) }} />
              <span>{categoryId === undefined ? 'none' : (categories.find((c) => c.id === categoryId)?.name ?? 'none')}</span>
              <kbd>1–9</kbd>
            </div>
            {missing && <div className="warn-line no-box" data-testid="proposal-reason">{missing}</div>}
            {p.pointHit === false && (
              <div className="warn-line" data-testid="point-miss">
                The visible box misses your point.
                <button className="mini" data-testid="btn-retry-query" title="Ask again (Shift+R)" onClick={() => void retryActive()}>Retry</button>
              </div>
            )}
            <div className="row-actions">
              <button className="primary" data-testid="btn-accept" disabled={!boxes.visible} title="Accept (Enter)" onClick={() => void acceptActive()}>
                Accept{edit ? ' edited' : ''} <kbd>Enter</kbd>
              </button>
              <button data-testid="btn-reject" title="Reject (Backspace)" onClick={() => void rejectActive()}>
                Reject <kbd>Bksp</kbd>
              </button>
              {/* Issue 11: agreeing that the object is absent is a label (a negative), not a mere reject. */}
              <button
                className={boxes.visible ? '' : 'primary'}
                data-testid="btn-not-in-image"
                title="The object is not in this image: record that and drop the proposal (X)"
                onClick={() => void markActiveAbsent()}
              >
                Not in this image <kbd>X</kbd>
              </button>
              {onImage > 1 && (
                <button data-testid="btn-accept-all" title="Accept every proposal on this image (Shift+Enter; asks first)" onClick={confirmAcceptAll}>
                  Accept all ({onImage})
                </button>
              )}
            </div>
            {match && (
              <button
                data-testid="btn-add-phrase-to-match"
                title="This box is already labelled: keep that box and add this phrase to it"
                onClick={() => void addPhraseToMatch()}
              >
                Add as a phrase of “{match.phrase || 'the box it overlaps'}”
              </button>
            )}
          </>
        )}
        <ReasoningPanel />
      </div>
    </section>
  );
}
