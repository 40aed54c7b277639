// COCO document → text. One image, annotation or category per line: the file
// stays compact (a 100k-annotation export is mostly numbers) yet diffs line by
// line in git and opens in any editor. JSON.parse of the result equals the
// document; the bytes depend only on the document (key order is fixed where
// the document is built), which is what makes export → import → export stable.
import type { CocoDocument } from './types';

function section(name: string, items: readonly unknown[]): string {
  if (items.length === 0) return `"${name}":[]`;
  // One stringify per record: as fast as one big stringify, and the join
  // gives the line structure for free.
  const lines = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) lines[i] = JSON.stringify(items[i]);
  return `"${name}":[\n${lines.join(',\n')}\n]`;
}

export function serializeCoco(doc: CocoDocument): string {
  return (
    `{"info":${JSON.stringify(doc.info)},\n` +
    `"licenses":${JSON.stringify(doc.licenses)},\n` +
    `${section('images', doc.images)},\n` +
    `${section('annotations', doc.annotations)},\n` +
    `${section('categories', doc.categories)}}\n`
  );
}
