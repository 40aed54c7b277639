// Qwen-VL fine-tuning lines (the QwenLM qwen-vl-finetune data format), so a
// user can fine-tune EGM on what they labelled: one JSON object per line,
// `image` (relative to the images root) and `conversations`: the human turn
// is "<image>\n" + the exact prompt EGM is queried with (EGM.md, "Prompts";
// the amodal prompt for an amodal box), the answer is what EGM writes: a
// fenced JSON list with `bbox_2d` on the 0-1000 grid of the upright image.
// One line per phrase of each object and kind: visible always, amodal when the
// object has an amodal box. A phrase marked "not in this image" (issue 11) is
// one more line, after the image's objects: the visible prompt, answered with
// an empty list (egmNoBoxAnswer). EGM.md gives no form for "no box"; the
// authors' scorer reads an answer without four numbers as no box, and an
// empty `[]` in the same fence is the Qwen-VL way of saying nothing matches.
// Pure.
import { buildPrompt } from '../egm/prompt';
import { GRID } from '../egm/coordinates';
import type { Box, BoxKind } from '../types';
import { phraseItems } from './phrase-items';
import type { DatasetInput } from './types';

export interface QwenVlLine {
  image: string;
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
}

/**
 * Pixel box → integer box on the 0–1000 grid. A visible box is clamped to the
 * grid; an amodal box past the image edge keeps its values below 0 or above
 * 1000, as EGM answers it (issue 18: the authors clamp only to score).
 */
export function gridBox(box: Box, width: number, height: number, kind: BoxKind = 'visible'): Box {
  const g = (v: number, size: number) => {
    const grid = Math.round((v * GRID) / size) + 0; // + 0: no -0
    return kind === 'amodal' ? grid : Math.min(GRID, Math.max(0, grid));
  };
  return [g(Math.min(box[0], box[2]), width), g(Math.min(box[1], box[3]), height), g(Math.max(box[0], box[2]), width), g(Math.max(box[1], box[3]), height)];
}

/** The answer "nothing matches": the same fence as egmAnswer around an empty list. */
export function egmNoBoxAnswer(): string {
  return '```json\n[]\n```';
}

/** The answer as EGM writes it (EGM.md, "What the model writes back"), without the reasoning. */
export function egmAnswer(box: Box, label: string): string {
  return '```json\n[\n\t{"bbox_2d": [' + box.join(', ') + '], "label": ' + JSON.stringify(label) + '}\n]\n```';
}

const line = (image: string, prompt: string, answer: string): QwenVlLine => ({
  image,
  conversations: [
    { from: 'human', value: `<image>\n${prompt}` },
    { from: 'gpt', value: answer },
  ],
});

export function qwenVlLines(input: DatasetInput): QwenVlLine[] {
  const lines: QwenVlLine[] = [];
  // Images in id order; each one's negatives follow its last object's lines.
  const images = [...input.images].sort((a, b) => a.id - b.id);
  let next = 0;
  const negativesUpTo = (imageId: number) => {
    for (; next < images.length && images[next]!.id <= imageId; next++) {
      const image = images[next]!;
      for (const phrase of image.negPhrases ?? []) {
        lines.push(line(image.fileName, buildPrompt({ phrase, kind: 'visible' }), egmNoBoxAnswer()));
      }
    }
  };
  for (const { image, annotation, phrase } of phraseItems(input)) {
    negativesUpTo(image.id - 1);
    const kinds: [BoxKind, Box][] = [['visible', annotation.visible]];
    if (annotation.amodal) kinds.push(['amodal', annotation.amodal]);
    for (const [kind, box] of kinds) {
      lines.push(line(image.fileName, buildPrompt({ phrase, kind }), egmAnswer(gridBox(box, image.width, image.height, kind), phrase)));
    }
  }
  negativesUpTo(Number.POSITIVE_INFINITY);
  return lines;
}
