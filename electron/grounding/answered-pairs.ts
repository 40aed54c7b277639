// The (image, phrase) pairs a batch does not ask again because they are
// answered already, either way (issue 11, issue 18 item 2):
//   - a proposal waits for review, with a box or a "no box" one: running the
//     same batch twice must not double the queue;
//   - a box on the image has the phrase (as its phrase or another): an
//     accepted answer, or the user's own label;
//   - the phrase is marked "not in this image" there.
// A pair whose proposal was rejected is asked again: the reviewer said the
// answer was wrong. Phrases are compared as negatives are stored
// (negativePhraseKey: trimmed, inner white space collapsed, case kept).
import type Database from 'better-sqlite3';
import { negativePhraseKey } from '@core/negatives';
import type { ProjectStore } from '../store/api';
import { listNegatives } from '../store/negatives';
import { preparedFor } from '../store/prepared';
import { listProposals } from '../store/proposals';

/** An item's reason when its (image, phrase) already had a proposal waiting for review. */
export const ALREADY_PROPOSED = 'skipped: a proposal for this phrase on this image is waiting for review';

/** An item's reason when a box on its image already has its phrase. */
export const ALREADY_LABELLED = 'skipped: a box on this image already has this phrase';

/** An item's reason when the user had marked its phrase "not in this image" on its image. */
export const MARKED_ABSENT = "skipped: this phrase is marked 'not in this image' on this image";

function prepare(db: Database.Database) {
  return {
    // Only boxes with a phrase; more_phrases is a JSON array of strings ('[]' when none).
    labelled: db.prepare("SELECT image_id, phrase, more_phrases FROM annotations WHERE phrase != '' OR more_phrases != '[]'").raw(true),
  };
}

const pairKey = (imageId: number, phrase: string) => `${imageId}\u0000${negativePhraseKey(phrase)}`;

export class AnsweredPairs {
  readonly #why = new Map<string, string>();

  /** The pairs answered in the project now (read once when a run starts). */
  static read(store: ProjectStore): AnsweredPairs {
    const pairs = new AnsweredPairs();
    for (const n of listNegatives(store)) pairs.#add(n.imageId, n.phrase, MARKED_ABSENT);
    for (const row of preparedFor(store, prepare).labelled.all() as [number, string, string][]) {
      const [imageId, phrase, more] = row;
      for (const p of [phrase, ...(JSON.parse(more) as string[])]) if (p.trim() !== '') pairs.#add(imageId, p, ALREADY_LABELLED);
    }
    for (const p of listProposals(store)) pairs.#add(p.imageId, p.phrase, ALREADY_PROPOSED);
    return pairs;
  }

  /** Why the pair is not asked again (an item's reason), or null to ask it. */
  why(imageId: number, phrase: string): string | null {
    return this.#why.get(pairKey(imageId, phrase)) ?? null;
  }

  /** Later reasons win: a proposal waiting says more than a box with the same phrase. */
  #add(imageId: number, phrase: string, reason: string): void {
    this.#why.set(pairKey(imageId, phrase), reason);
  }
}
