// "Object not in this image" (issue 11): a reviewed negative says that a
// referring phrase has no object in an image. It is a label like a box: stored,
// exported (COCO `neg_phrases`, a Qwen-VL sample whose answer has no box),
// imported back, and the image counts as reviewed for that phrase. Pure: the
// schema crosses IPC (negatives:restore) and the renderer reads the type.
import { z } from 'zod';
import { idSchema } from './schemas';

export const negativeSchema = z.object({
  id: idSchema,
  imageId: idSchema,
  /** The phrase as the user or the model's query had it (trimmed, never empty). */
  phrase: z.string().trim().min(1).max(2000),
  createdAt: z.number().int().min(0),
});
export type Negative = z.infer<typeof negativeSchema>;

/**
 * The key two phrases are compared by for "the same phrase on the same image"
 * (the store's uniqueness, the export's de-duplication): trimmed, inner runs of
 * white space made one space. Case is kept: "the Red car" is what was asked.
 */
export function negativePhraseKey(phrase: string): string {
  return phrase.trim().replace(/\s+/g, ' ');
}
