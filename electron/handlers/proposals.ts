// proposals:* methods: the review queue. Accept and reject return what undo
// needs (the proposal as it was); restore puts a proposal back under its id
// after the full Proposal in the request passed this schema.
import { z } from 'zod';
import type { IpcHandlers } from '../ipc/contract';
import type { Proposal } from '../core/types';
import { firstIssue } from '../core/errors';
import type { ServiceRef } from './grounding';

const box = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);
const id = z.number().int().positive();

const proposalSchema = z.object({
  id,
  imageId: id,
  phrase: z.string().min(1).max(2000),
  visible: box.nullable(),
  amodal: box.nullable(),
  reasoningVisible: z.string(),
  reasoningAmodal: z.string(),
  model: z.string().max(500),
  score: z.number().min(0).max(1).nullable(),
  point: z.tuple([z.number().finite(), z.number().finite()]).nullable(),
  pointHit: z.boolean().nullable(),
  reason: z.string().max(2000).nullable(),
  latencyMs: z.number().finite().min(0),
  batchId: id.nullable(),
  createdAt: z.number().int().min(0),
});

type ProposalHandlers = Pick<IpcHandlers, 'proposals:list' | 'proposals:accept' | 'proposals:reject' | 'proposals:restore'>;

export function proposalHandlers(service: ServiceRef): ProposalHandlers {
  return {
    'proposals:list': async ({ imageId, order }) =>
      (await service()).listProposals({ ...(imageId !== undefined ? { imageId } : {}), ...(order ? { order } : {}) }),
    'proposals:accept': async ({ id, visible, amodal, categoryId }) =>
      (await service()).accept(id, {
        ...(visible ? { visible } : {}),
        ...(amodal !== undefined ? { amodal } : {}),
        ...(categoryId !== undefined ? { categoryId } : {}),
      }),
    'proposals:reject': async ({ id }) => (await service()).reject(id),
    'proposals:restore': async ({ proposal }) => {
      const parsed = proposalSchema.safeParse(proposal);
      if (!parsed.success) throw new Error(`proposal to restore is invalid: ${firstIssue(parsed.error, 'proposal')}`);
      return (await service()).restore(parsed.data as Proposal);
    },
  };
}
