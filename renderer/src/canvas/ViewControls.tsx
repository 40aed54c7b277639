// The canvas view popover of the tool strip (issue 11): labels, box fill
// opacity, image brightness and contrast with a reset. Opens from the ◐
// button; Esc or the button closes it. Reads and writes the workbench's box
// view (box-view.ts); nothing here is saved to the project or the image.
import { useState } from 'react';
import { ADJUST_MAX, ADJUST_MIN, boxView, LABEL_MODES, MAX_FILL, resetImageAdjust, setBrightness, setContrast, setFillOpacity, useBoxView, type LabelMode } from './box-view';

const LABEL_NAMES: Record<LabelMode, string> = { off: 'Numbers', phrase: 'Phrases', category: 'Categories' };

export function ViewControls() {
  const [open, setOpen] = useState(false);
  const labels = useBoxView((s) => s.labels);
  const fill = useBoxView((s) => s.fillOpacity);
  const brightness = useBoxView((s) => s.brightness);
  const contrast = useBoxView((s) => s.contrast);
  const adjusted = brightness !== 100 || contrast !== 100;
  return (
    <div className="view-controls">
      <button
        className={open ? 'tool active' : 'tool'}
        data-testid="view-controls-toggle"
        aria-expanded={open}
        title="Labels, box opacity, brightness and contrast"
        onClick={() => setOpen(!open)}
      >
        <span className="tool-icon">◐</span>
        <kbd>{adjusted ? '•' : 'L'}</kbd>
      </button>
      {open && (
        <div className="view-popover" data-testid="view-controls" role="group" aria-label="Canvas view" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <label>
            <span className="vp-head">Labels <kbd>L</kbd></span>
            <select data-testid="view-labels" value={labels} onChange={(e) => boxView.set({ labels: e.target.value as LabelMode })}>
              {LABEL_MODES.map((m) => <option key={m} value={m}>{LABEL_NAMES[m]}</option>)}
            </select>
          </label>
          <label>
            <span className="vp-head">Box fill <output>{Math.round(fill * 100)} %</output></span>
            <input data-testid="view-fill" type="range" min={0} max={MAX_FILL * 100} step={5} value={Math.round(fill * 100)} onChange={(e) => setFillOpacity(Number(e.target.value) / 100)} />
          </label>
          <label>
            <span className="vp-head">Brightness <kbd>B</kbd> <output>{brightness} %</output></span>
            <input data-testid="view-brightness" type="range" min={ADJUST_MIN} max={ADJUST_MAX} step={5} value={brightness} onChange={(e) => setBrightness(Number(e.target.value))} />
          </label>
          <label>
            <span className="vp-head">Contrast <kbd>C</kbd> <output>{contrast} %</output></span>
            <input data-testid="view-contrast" type="range" min={ADJUST_MIN} max={ADJUST_MAX} step={5} value={contrast} onChange={(e) => setContrast(Number(e.target.value))} />
          </label>
          <button data-testid="view-adjust-reset" disabled={!adjusted} onClick={resetImageAdjust} title="Brightness and contrast back to 100 % (0)">Reset image</button>
        </div>
      )}
    </div>
  );
}
