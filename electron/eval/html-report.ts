// The HTML report of `egm eval --html`: the figures per kind, then the worst
// cases, each an image crop around the ground truth (green) and the model's
// box (red) with the phrase, kind, IoU and why a box is missing. Crops are
// JPEG data URLs, so the report is one self-contained file.
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

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
  const boxes = o.box ? [o.truth, o.box] : [o.truth];
  const region = cropRegion(boxes, size.width, size.height);
  // Small objects are enlarged (up to 4×) so the two boxes can be told apart.
  const scale = Math.min(4, CROP_WIDTH / region.width);
  const w = Math.max(1, Math.round(region.width * scale));
  const h = Math.max(1, Math.round(region.height * scale));
  const rect = (b: Box, colour: string, dash: string) =>
    `<rect x="${(b[0] - region.left) * scale}" y="${(b[1] - region.top) * scale}" width="${Math.max(1, (b[2] - b[0]) * scale)}" height="${Math.max(1, (b[3] - b[1]) * scale)}" fill="none" stroke="${colour}" stroke-width="2" ${dash}/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${rect(o.truth, '#2ecc40', '')}${o.box ? rect(o.box, '#ff4136', 'stroke-dasharray="6 3"') : ''}</svg>`;
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
    `<tr><td>${kind}</td><td>${s.n}</td><td>${(s.acc50 * 100).toFixed(1)}%</td><td>${s.miou.toFixed(3)}</td><td>${s.noBox}</td><td>${s.failed}</td>` +
      `<td>${s.latencyMs.p50.toFixed(0)} / ${s.latencyMs.p95.toFixed(0)}</td><td>${s.tokens.mean.toFixed(0)}</td></tr>`,
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
      `<figure>${image}<figcaption><b>${escapeHtml(o.phrase)}</b><br>${o.kind} · IoU ${o.iou.toFixed(3)}` +
        `${o.reason ? ` · ${escapeHtml(o.reason)}` : ''} · image ${o.imageId}, box ${o.annotationId}</figcaption></figure>`,
    );
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin-bottom: 24px; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
.cases { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; width: ${CROP_WIDTH}px; }
figcaption { font-size: 12px; margin-top: 4px; } .legend span { margin-right: 16px; } .missing { color: #a00; }
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p>Model: ${escapeHtml(input.model)}. Acc@0.5 counts IoU strictly above 0.5; a query without a box counts as IoU 0 (the EGM authors' protocol).</p>
<table><tr><th>kind</th><th>queries</th><th>Acc@0.5</th><th>mean IoU</th><th>no box</th><th>failed</th><th>latency p50 / p95 ms</th><th>tokens</th></tr>
${rows.join('\n')}</table>
<h2>Worst cases</h2>
<p class="legend"><span style="color:#2ecc40">■ ground truth</span><span style="color:#ff4136">■ model</span></p>
<div class="cases">
${cards.join('\n')}
</div></body></html>
`;
}
