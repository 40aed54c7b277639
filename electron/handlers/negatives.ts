// negatives:* methods ("object not in this image", issue 11) and
// proposals:markAbsent, the common way in: the reviewer agrees with a no-box
// answer, so the proposal goes and the negative is recorded in one
// transaction. Remove and markAbsent return what undo needs.
import type { IpcHandlers } from '@ipc/contract';
import { addNegative, listNegatives, markProposalAbsent, removeNegative, restoreNegative } from '../store/negatives';
import type { HandlerDeps } from './deps';
import type { ProjectSession } from './session';

type NegativeHandlers = Pick<
  IpcHandlers,
  'negatives:add' | 'negatives:list' | 'negatives:remove' | 'negatives:restore' | 'proposals:markAbsent'
>;

export function negativeHandlers(deps: HandlerDeps, session: ProjectSession): NegativeHandlers {
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
    'proposals:markAbsent': ({ id }) => {
      const result = markProposalAbsent(session.require(), id);
      // As accept/reject do (grounding/service.ts): the review queue drops it.
      deps.emit('proposals:changed', { added: [], removedIds: [result.proposal.id] });
      return result;
    },
  };
}
