// negatives:* methods ("object not in this image", issue 11). The common way
// in, proposals:markAbsent, is a review step (grounding/proposal-review.ts).
// Remove returns what undo needs.
import type { IpcHandlers } from '@ipc/contract';
import { addNegative, listNegatives, removeNegative, restoreNegative } from '../store/negatives';
import type { ProjectSession } from './session';

type NegativeHandlers = Pick<IpcHandlers, 'negatives:add' | 'negatives:list' | 'negatives:remove' | 'negatives:restore'>;

export function negativeHandlers(session: ProjectSession): NegativeHandlers {
  return {
    'negatives:add': ({ imageId, phrase }) => addNegative(session.require(), imageId, phrase),
    'negatives:list': ({ imageId }) => {
      const store = session.require();
      if (imageId !== undefined && !store.getImage(imageId)) throw new Error(`no image with id ${imageId} in this project`);
      return listNegatives(store, imageId);
    },
    'negatives:remove': ({ id }) => removeNegative(session.require(), id),
    // The contract checked the whole negative (core/negatives.ts negativeSchema).
    'negatives:restore': ({ negative }) => restoreNegative(session.require(), negative),
  };
}
