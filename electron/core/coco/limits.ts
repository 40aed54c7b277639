// What a COCO import takes at most (issue 16, security second round): a file
// is someone else's, and what it brings in must stay within what the app can
// edit and undo afterwards — a 5,000-character phrase imported unchecked later
// made the undo of a delete fail against the IPC schema's 2,000. The field
// limits are the IPC schemas' own (test/unit/coco-limits.test.ts checks they
// agree); the size and counts bound the work of one import. Over a field limit
// an annotation (or an image's neg_phrases) is skipped with the reason; over a
// size or count limit, or a file_name or category name too long to store, the
// whole file is refused in one line.
export const COCO_LIMITS = {
  /** Bytes of the COCO file (COCO 2017 train's instances with segmentation: 448 MB). */
  fileBytes: 1024 * 1024 * 1024,
  images: 1_000_000,
  annotations: 10_000_000,
  categories: 100_000,
  /** A file_name (the IPC's path limit). */
  fileNameChars: 4096,
  /** A category name (categories:ensure / rename). */
  categoryNameChars: 200,
  /** A phrase, or one of `phrases` (an annotation's phrase, a negative). */
  phraseChars: 2000,
  /** Phrases of one object besides its first (morePhrases). */
  morePhrases: 100,
  /** The model name of attributes.model. */
  modelChars: 500,
  /** neg_phrases of one image. */
  negPhrases: 10_000,
} as const;
