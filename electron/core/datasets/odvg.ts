// ODVG lines, the grounding format Open-GroundingDino and MM-Grounding-DINO
// train on: one JSON object per line, here one per referring phrase of an
// object (as their RefCOCO conversions write REC data): the phrase is the
// caption and its one region, `tokens_positive` the phrase's character span
// in the caption. bbox is [x1, y1, x2, y2] in pixels of the upright image;
// the amodal box, which ODVG has no field for, travels as `amodal_bbox` on
// the region. Pure.
import { roundCoord } from '../coco/to-coco';
import type { Box } from '../types';
import { phraseItems } from './phrase-items';
import type { DatasetInput } from './types';

export interface OdvgRegion {
  bbox: Box;
  phrase: string;
  tokens_positive: [number, number][];
  amodal_bbox?: Box;
}

export interface OdvgLine {
  filename: string;
  height: number;
  width: number;
  grounding: { caption: string; regions: OdvgRegion[] };
}

const corners = (box: Box): Box => {
  const [x1, y1, x2, y2] = box;
  return [roundCoord(Math.min(x1, x2)), roundCoord(Math.min(y1, y2)), roundCoord(Math.max(x1, x2)), roundCoord(Math.max(y1, y2))];
};

export function odvgLines(input: DatasetInput): OdvgLine[] {
  return phraseItems(input).map(({ image, annotation, phrase }) => {
    // Python counts characters in code points; a JS string's length counts UTF-16 units.
    const region: OdvgRegion = { bbox: corners(annotation.visible), phrase, tokens_positive: [[0, [...phrase].length]] };
    if (annotation.amodal) region.amodal_bbox = corners(annotation.amodal);
    return { filename: image.fileName, height: image.height, width: image.width, grounding: { caption: phrase, regions: [region] } };
  });
}

/** The file's text: one JSON object per line. */
export function jsonLines(lines: readonly unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + (lines.length > 0 ? '\n' : '');
}
