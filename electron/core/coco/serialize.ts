// COCO document → text. One image, annotation or category per line: the file
// stays compact (a 100k-annotation export is mostly numbers) yet diffs line by
// line in git and opens in any editor. JSON.parse of the result equals the
// document; the bytes depend only on the document (key order is fixed where
// the document is built), which is what makes export → import → export stable.
// The export streams its annotations through recordLines in chunks
// (rows-to-coco.ts); the pieces here are shared so both give the same bytes.
import type { CocoDocument, CocoInfo } from './types';

/**
 * The records of a section as text, one per line, without the brackets ('' for
 * none). One JSON.stringify per batch of records (V8's fast path; per-record
 * stringify + join measured ~1.7× slower), then a newline at each record
 * boundary. Every record is an object whose first key is "id", so records
 * meet as `},{"id":`. That sequence cannot occur inside a string value, where
 * every `"` is written `\"`, and no nested value is an object followed by
 * `,{"id":` (bbox arrays hold numbers). Batches join with ',\n'.
 */
export function recordLines(items: readonly unknown[]): string {
  return items.length === 0 ? '' : JSON.stringify(items).slice(1, -1).replaceAll('},{"id":', '},\n{"id":');
}

function section(name: string, lines: string): string {
  return lines === '' ? `"${name}":[]` : `"${name}":[\n${lines}\n]`;
}

/** The whole file around each section's record lines (from recordLines). */
export function cocoText(info: CocoInfo, lines: { images: string; annotations: string; categories: string }): string {
  return (
    `{"info":${JSON.stringify(info)},\n` +
    `"licenses":[],\n` +
    `${section('images', lines.images)},\n` +
    `${section('annotations', lines.annotations)},\n` +
    `${section('categories', lines.categories)}}\n`
  );
}

export function serializeCoco(doc: CocoDocument): string {
  return cocoText(doc.info, {
    images: recordLines(doc.images),
    annotations: recordLines(doc.annotations),
    categories: recordLines(doc.categories),
  });
}
