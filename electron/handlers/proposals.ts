// proposals:* methods: the review queue. Accept, reject and markAbsent return what undo
// needs (the proposal as it was); restore puts a proposal back under its id
// after the full Proposal in the request passed the contract's schema.
import type { IpcHandlers } from '@ipc/contract';
import type { ServiceRef } from './grounding';

type ProposalHandlers = Pick<
  IpcHandlers,
  'proposals:list' | 'proposals:accept' | 'proposals:reject' | 'proposals:restore' | 'proposals:markAbsent' | 'proposals:acceptMany' | 'proposals:markAbsentMany'
>;

export function proposalHandlers(service: ServiceRef): ProposalHandlers {
  return {
    'proposals:list': async ({ imageId, order }) =>
      (await service()).review.list({ ...(imageId !== undefined ? { imageId } : {}), ...(order ? { order } : {}) }),
    'proposals:accept': async ({ id, visible, amodal, categoryId }) =>
      (await service()).review.accept(id, {
        ...(visible ? { visible } : {}),
        ...(amodal !== undefined ? { amodal } : {}),
        ...(categoryId !== undefined ? { categoryId } : {}),
      }),
    'proposals:reject': async ({ id }) => (await service()).review.reject(id),
    // Reject plus a "not in this image" negative, in one transaction.
    'proposals:markAbsent': async ({ id }) => (await service()).review.markAbsent(id),
    // Bulk review (issue 18): one transaction each, all or none.
    'proposals:acceptMany': async ({ items }) =>
      (await service()).review.acceptMany(items.map(({ id, visible, amodal }) => ({ id, ...(visible ? { visible } : {}), ...(amodal !== undefined ? { amodal } : {}) }))),
    'proposals:markAbsentMany': async ({ ids }) => (await service()).review.markAbsentMany(ids),
    // The contract checked the whole proposal (core/schemas.ts proposalSchema).
    'proposals:restore': async ({ proposal }) => (await service()).review.restore(proposal),
  };
}
