// Text from files (file names, paths) as main's native dialogs show it. A
// file name may hold a newline, other control characters, or Unicode bidi
// and invisible format characters, with which a COCO file could fake lines or
// reorder text in the "outside the folder" question (issue 16: a newline in a
// name added a line of its own to the dialog). Each such character is shown as
// a visible escape instead, so one name is one line, read as it is stored.
// Pure: the renderer may use it too.

// C0 and C1 controls, DEL; bidi marks, embeddings, overrides and isolates;
// zero-width and other invisible format characters; line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;

/** `text` with every control, bidi or invisible character written as \u{…}, and cut to `max` characters. */
export function displayText(text: string, max = 300): string {
  const safe = text.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** The "images outside the folder" question of a COCO import: a few paths, one a line, and how many more. */
export function outsideImagesQuestion(paths: readonly string[], imagesDir: string): { message: string; detail: string } {
  const shown = paths.slice(0, 8).map((p) => displayText(p)).join('\n');
  const list = paths.length > 8 ? `${shown}\n… and ${paths.length - 8} more` : shown;
  return {
    message: `${paths.length} image${paths.length === 1 ? '' : 's'} of this COCO file lie outside ${displayText(imagesDir)}`,
    detail: `${list}\n\nRead them anyway? They will be listed in the import report.`,
  };
}
