// A COCO file that cannot be imported at all (bad JSON, missing keys, duplicate
// ids). The message is one line that names what is wrong and where, e.g.
// `images[5].id: duplicate id 7 (also images[2])`; nothing is written.
export class CocoFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CocoFormatError';
  }
}

/** A short, one-line rendering of a JSON value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
