// Schemas of the domain values that cross the IPC boundary and are checked
// there, with their TypeScript types inferred from them (one definition each).
// Pure, in core because the store and the renderer use the types as well.
import { z } from 'zod';
import { attributeKeyProblem, attributeValueProblem, MAX_ATTRIBUTES, type Attributes } from './attributes';

export const idSchema = z.number().int().positive();

/** The store's limits on text people type, which the fields enforce as they are typed (issue 16): a phrase, and a category's name. */
export const PHRASE_MAX = 2000;
export const CATEGORY_NAME_MAX = 200;
/** Phrases one batch may ask (batch:start), one per line of the batch dialog. */
export const BATCH_PHRASES_MAX = 100;
export const boxSchema = z.tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()]);
export const pointSchema = z.tuple([z.number().finite(), z.number().finite()]);

/** An image's review status (images:setStatus; the database's CHECK lists the same). */
export const IMAGE_STATUSES = ['todo', 'in-progress', 'done'] as const;
export const imageStatusSchema = z.enum(IMAGE_STATUSES);
export type ImageStatus = z.infer<typeof imageStatusSchema>;

/** Which boxes an evaluation scores (eval:run). */
export const EVAL_KINDS = ['visible', 'amodal', 'both'] as const;
export const evalKindSchema = z.enum(EVAL_KINDS);
export type EvalKind = z.infer<typeof evalKindSchema>;

export const ANNOTATION_SOURCES = ['manual', 'model'] as const;
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number];

/** An object's free attributes (issue 18): at most 50 keys, none of the reserved ones, each a string, number or boolean. */
export const attributesSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .superRefine((value, ctx) => {
    const entries = Object.entries(value);
    if (entries.length > MAX_ATTRIBUTES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_ATTRIBUTES} attributes per object` });
    for (const [key, v] of entries) {
      const problem = attributeKeyProblem(key) ?? attributeValueProblem(key, v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  }) as unknown as z.ZodType<Attributes>;

/** The fields of an annotation a caller sets (annotations:create/update take them). */
export const annotationFields = {
  categoryId: idSchema.nullable(),
  phrase: z.string().max(PHRASE_MAX),
  /** The object's other referring phrases, after `phrase` (RefCOCO has about three per object). */
  morePhrases: z.array(z.string().max(PHRASE_MAX)).max(100).optional(),
  visible: boxSchema,
  amodal: boxSchema.nullable(),
  occluded: z.boolean(),
  source: z.enum(ANNOTATION_SOURCES),
  model: z.string().max(500).nullable(),
  score: z.number().finite().nullable(),
  reviewed: z.boolean(),
  /** Cut by the frame (issue 18): true/false as the user set it, null (or absent) to follow the amodal box (core/attributes.ts). */
  truncated: z.boolean().nullable().optional(),
  /** Hard to recognise (Pascal VOC's flag). */
  difficult: z.boolean().optional(),
  /** The object's free key/value attributes. */
  attributes: attributesSchema.optional(),
  /** A per-object CSS colour, kept as stored; boxes are drawn in their category's colour (core/category-colors.ts), not this one. */
  color: z.string().max(64),
};

/** A whole annotation (annotations:restore checks one; Annotation is its type). */
export const annotationSchema = z.object({
  id: idSchema,
  imageId: idSchema,
  ...annotationFields,
  morePhrases: z.array(z.string().max(PHRASE_MAX)).max(100).default([]),
  truncated: z.boolean().nullable().default(null),
  difficult: z.boolean().default(false),
  attributes: attributesSchema.default({}),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Annotation = z.infer<typeof annotationSchema>;

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
  phrase: z.string().min(1).max(PHRASE_MAX),
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

/** What is loaded and where (model:status, model:setSettings, the 'model:status' event). */
export const modelStatusSchema = z.object({
  state: z.enum(['none', 'loading', 'ready', 'error']),
  /** Model id or folder name; server model name. */
  model: z.string().nullable(),
  backend: z.enum(['local', 'server']).nullable(),
  /** 'cuda', 'cpu', ... or the server URL. */
  device: z.string().nullable(),
  /** Why the device is what it is (e.g. CUDA probe failed → CPU). */
  deviceReason: z.string().nullable(),
  /** 0..1 while loading or downloading. */
  progress: z.number().nullable(),
  message: z.string().nullable(),
});
export type ModelStatus = z.infer<typeof modelStatusSchema>;

/** The status with no model set up: main's start state and the renderer's until main reports. */
export const NO_MODEL: ModelStatus = { state: 'none', model: null, backend: null, device: null, deviceReason: null, progress: null, message: null };

/** The answer of a health check (model:health). */
export const healthReportSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  latencyMs: z.number(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
