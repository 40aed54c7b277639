// Schemas of the domain values that cross the IPC boundary and are checked
// there, with their TypeScript types inferred from them (one definition each).
// Pure, in core because the store and the renderer use the types as well.
import { z } from 'zod';

export const idSchema = z.number().int().positive();
export const boxSchema = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);
export const pointSchema = z.tuple([z.number().finite(), z.number().finite()]);

/** Orders of the review queue (proposals:list). */
export const PROPOSAL_ORDERS = ['newest', 'confidence'] as const;
export const proposalOrderSchema = z.enum(PROPOSAL_ORDERS);
export type ProposalOrder = z.infer<typeof proposalOrderSchema>;

/**
 * A model's answer waiting for review (proposals:restore checks a whole one).
 * Both boxes are original-image pixels.
 */
export const proposalSchema = z.object({
  id: idSchema,
  imageId: idSchema,
  phrase: z.string().min(1).max(2000),
  visible: boxSchema.nullable(),
  amodal: boxSchema.nullable(),
  reasoningVisible: z.string(),
  reasoningAmodal: z.string(),
  model: z.string().max(500),
  /** Self-consistency agreement in [0, 1] (mean IoU of samples to the fused box); null for a single greedy answer. */
  score: z.number().min(0).max(1).nullable(),
  /** The user's point hint, if any, and whether the visible box contains it. */
  point: pointSchema.nullable(),
  pointHit: z.boolean().nullable(),
  /** Why a box is missing ('no-box', 'timeout', 'error: ...'), else null. */
  reason: z.string().max(2000).nullable(),
  latencyMs: z.number().finite().min(0),
  batchId: idSchema.nullable(),
  createdAt: z.number().int().min(0),
});
export type Proposal = z.infer<typeof proposalSchema>;
