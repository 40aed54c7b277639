// The HTML report of `egm eval --html`: the figures per kind, then the worst
// cases, each an image crop around the ground truth (green) and the model's
// box (red) with the phrase, kind, IoU and why a box is missing. Crops are
// JPEG data URLs, so the report is one self-contained file.
//
// A report is built from someone else's dataset (`eval --refcoco` reads their
// pickle and instances.json), so every value put into the page is escaped, the
// page carries a CSP that allows no script, no fetch and only data: images
// (issue 16: an id `<img src=x onerror=…>` ran), and the boxes drawn into a
// crop's SVG are checked to be numbers first.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { KindSummary, EvalOutcome } from '@core/eval/summary';
import type { Box, BoxKind } from '@core/types';

export interface HtmlReportInput {
  title: string;
  model: string;
  summary: Partial<Record<BoxKind, KindSummary>>;
  worst: EvalOutcome[];
  imagePathOf: (imageId: number) => string;
  /** Upright size of an image. */
  sizeOf: (imageId: number) => { width: number; height: number };
}

const CROP_WIDTH = 320;

/** Any value as HTML text: every value from a dataset goes through this. */
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin-bottom: 24px; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
.cases { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; width: ${CROP_WIDTH}px; }
figcaption { font-size: 12px; margin-top: 4px; } .legend span { margin-right: 16px; } .missing { color: #a00; }
.truth { color: #2ecc40; } .model { color: #ff4136; }
`;

/** No script, nothing fetched: the one style block (by hash) and data: images only. */
export const REPORT_CSP =
  `default-src 'none'; img-src data:; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  `base-uri 'none'; form-action 'none'`;

/** A box as four finite numbers, else null (a dataset's box is never trusted into the SVG). */
function numericBox(box: readonly unknown[]): Box | null {
  return box.length === 4 && box.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (box as unknown as Box) : null;
}

/** A figure as text: a number with `digits` decimals, else its escaped text. */
const fixed = (value: unknown, digits: number) => (typeof value === 'number' ? value.toFixed(digits) : escapeHtml(value));

/** Region around both boxes with a margin, inside the image. */
export function cropRegion(boxes: Box[], width: number, height: number): { left: number; top: number; width: number; height: number } {
  const x1 = Math.min(...boxes.map((b) => b[0]));
  const y1 = Math.min(...boxes.map((b) => b[1]));
  const x2 = Math.max(...boxes.map((b) => b[2]));
  const y2 = Math.max(...boxes.map((b) => b[3]));
  const mx = Math.max(16, (x2 - x1) * 0.25);
  const my = Math.max(16, (y2 - y1) * 0.25);
  const left = Math.max(0, Math.floor(x1 - mx));
  const top = Math.max(0, Math.floor(y1 - my));
  const right = Math.min(width, Math.ceil(x2 + mx));
  const bottom = Math.min(height, Math.ceil(y2 + my));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

async function crop(o: EvalOutcome, input: HtmlReportInput): Promise<string> {
  const size = input.sizeOf(o.imageId);
  const truth = numericBox(o.truth);
  const model = o.box ? numericBox(o.box) : null;
  if (!truth || (o.box && !model)) throw new Error('a box is not four numbers');
  const boxes = model ? [truth, model] : [truth];
  const region = cropRegion(boxes, size.width, size.height);
  // Small objects are enlarged (up to 4×) so the two boxes can be told apart.
  const scale = Math.min(4, CROP_WIDTH / region.width);
  const w = Math.max(1, Math.round(region.width * scale));
  const h = Math.max(1, Math.round(region.height * scale));
  const rect = (b: Box, colour: string, dash: string) =>
    `<rect x="${(b[0] - region.left) * scale}" y="${(b[1] - region.top) * scale}" width="${Math.max(1, (b[2] - b[0]) * scale)}" height="${Math.max(1, (b[3] - b[1]) * scale)}" fill="none" stroke="${colour}" stroke-width="2" ${dash}/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${rect(truth, '#2ecc40', '')}${model ? rect(model, '#ff4136', 'stroke-dasharray="6 3"') : ''}</svg>`;
  const jpeg = await sharp(input.imagePathOf(o.imageId))
    .rotate() // EXIF orientation: boxes are in upright pixels
    .extract(region)
    .resize(w, h)
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 80 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

export async function evalHtml(input: HtmlReportInput): Promise<string> {
  const rows = Object.entries(input.summary).map(([kind, s]) =>
    `<tr><td>${escapeHtml(kind)}</td><td>${fixed(s.n, 0)}</td><td>${fixed(s.acc50 * 100, 1)}%</td><td>${fixed(s.miou, 3)}</td><td>${fixed(s.noBox, 0)}</td><td>${fixed(s.failed, 0)}</td>` +
      `<td>${fixed(s.latencyMs.p50, 0)} / ${fixed(s.latencyMs.p95, 0)}</td><td>${fixed(s.tokens.mean, 0)}</td></tr>`,
  );
  const cards: string[] = [];
  for (const o of input.worst) {
    let image: string;
    try {
      image = `<img src="${await crop(o, input)}" alt="">`;
    } catch (err) {
      image = `<p class="missing">image not shown: ${escapeHtml((err as Error).message.split('\n')[0] ?? '')}</p>`;
    }
    cards.push(
      `<figure>${image}<figcaption><b>${escapeHtml(o.phrase)}</b><br>${escapeHtml(o.kind)} · IoU ${fixed(o.iou, 3)}` +
        `${o.reason ? ` · ${escapeHtml(o.reason)}` : ''} · image ${escapeHtml(o.imageId)}, box ${escapeHtml(o.annotationId)}</figcaption></figure>`,
    );
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p>Model: ${escapeHtml(input.model)}. Acc@0.5 counts IoU strictly above 0.5; a query without a box counts as IoU 0 (the EGM authors' protocol).</p>
<table><tr><th>kind</th><th>queries</th><th>Acc@0.5</th><th>mean IoU</th><th>no box</th><th>failed</th><th>latency p50 / p95 ms</th><th>tokens</th></tr>
${rows.join('\n')}</table>
<h2>Worst cases</h2>
<p class="legend"><span class="truth">■ ground truth</span><span class="model">■ model</span></p>
<div class="cases">
${cards.join('\n')}
</div></body></html>
`;
}
