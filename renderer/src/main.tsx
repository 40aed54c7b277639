import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { windowApi } from './egm';
import { createWorkbench } from './workbench/create';
import { installWorkbench } from './workbench/current';
import './styles.css';

// The one workbench of this window, over the API the preload (or the e2e bridge) put on window.egm.
const wb = createWorkbench(windowApi());
installWorkbench(wb);
// The canvas bench reads the layer counters from the page (bench/canvas-frames.ts).
(globalThis as { __egmCanvasLayers?: unknown }).__egmCanvasLayers = wb.layerStats;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
