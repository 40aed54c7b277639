// Qwen-VL fine-tuning lines (the QwenLM qwen-vl-finetune data format), so a
// user can fine-tune EGM on what they labelled: one JSON object per line,
// `image` (relative to the images root) and `conversations`: the human turn
// is "<image>\n" + the exact prompt EGM is queried with (EGM.md, "Prompts";
// the amodal prompt for an amodal box), the answer is what EGM writes: a
// fenced JSON list with `bbox_2d` on the 0-1000 grid of the upright image.
// One line per phrase of each object and kind: visible always, amodal when the
// object has an amodal box. Pure.
import { buildPrompt } from '../egm/prompt';
import { GRID } from '../egm/coordinates';
import type { Box, BoxKind } from '../types';
import { phraseItems } from './phrase-items';
import type { DatasetInput } from './types';

export interface QwenVlLine {
  image: string;
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
}

/** Pixel box → integer box on the 0–1000 grid (clamped: an amodal box may reach past the image). */
export function gridBox(box: Box, width: number, height: number): Box {
  const g = (v: number, size: number) => Math.min(GRID, Math.max(0, Math.round((v * GRID) / size)));
  return [g(Math.min(box[0], box[2]), width), g(Math.min(box[1], box[3]), height), g(Math.max(box[0], box[2]), width), g(Math.max(box[1], box[3]), height)];
}

/** The answer as EGM writes it (EGM.md, "What the model writes back"), without the reasoning. */
export function egmAnswer(box: Box, label: string): string {
  return '```json\n[\n\t{"bbox_2d": [' + box.join(', ') + '], "label": ' + JSON.stringify(label) + '}\n]\n```';
}

export function qwenVlLines(input: DatasetInput): QwenVlLine[] {
  const lines: QwenVlLine[] = [];
  for (const { image, annotation, phrase } of phraseItems(input)) {
    const kinds: [BoxKind, Box][] = [['visible', annotation.visible]];
    if (annotation.amodal) kinds.push(['amodal', annotation.amodal]);
    for (const [kind, box] of kinds) {
      lines.push({
        image: image.fileName,
        conversations: [
          { from: 'human', value: `<image>\n${buildPrompt({ phrase, kind })}` },
          { from: 'gpt', value: egmAnswer(gridBox(box, image.width, image.height), phrase) },
        ],
      });
    }
  }
  return lines;
}
