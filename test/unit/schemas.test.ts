// Domain schemas (core/schemas.ts): one Proposal schema, checked by the IPC
// contract (no second copy in the handler), and one list of queue orders.
import { describe, expect, it } from 'vitest';
import { EVAL_KINDS, IMAGE_STATUSES, NO_MODEL, PROPOSAL_ORDERS, healthReportSchema, modelStatusSchema, proposalSchema } from '@core/schemas';
import { requestSchemas } from '@ipc/contract';
import type { Proposal } from '@core/types';

const proposal: Proposal = {
  id: 3, imageId: 1, phrase: 'cup', visible: [0, 0, 10, 10], amodal: null, reasoningVisible: '', reasoningAmodal: '', model: 'm',
  score: 0.5, point: null, pointHit: null, reason: null, latencyMs: 10, batchId: null, createdAt: 1,
};

describe('proposal schema', () => {
  it('the contract checks a whole proposal to restore', () => {
    expect(proposalSchema.parse(proposal)).toEqual(proposal);
    expect(requestSchemas['proposals:restore'].safeParse({ proposal }).success).toBe(true);
    expect(requestSchemas['proposals:restore'].safeParse({ proposal: { id: 3 } }).success).toBe(false);
    expect(requestSchemas['proposals:restore'].safeParse({ proposal: { ...proposal, score: 1.5 } }).success).toBe(false);
  });

  it('the queue orders are the ones proposals:list accepts', () => {
    for (const order of PROPOSAL_ORDERS) expect(requestSchemas['proposals:list'].safeParse({ order }).success).toBe(true);
    expect(requestSchemas['proposals:list'].safeParse({ order: 'oldest' }).success).toBe(false);
  });
});

describe('model status and health', () => {
  it('one "no model" status for main and the renderer, valid by the status schema', () => {
    expect(modelStatusSchema.parse(NO_MODEL)).toEqual(NO_MODEL);
    expect(NO_MODEL.state).toBe('none');
    expect(modelStatusSchema.safeParse({ ...NO_MODEL, state: 'gone' }).success).toBe(false);
    expect(healthReportSchema.safeParse({ ok: true, message: 'ok', latencyMs: 3 }).success).toBe(true);
  });
});

describe('annotation schema', () => {
  it('is the one annotations:restore checks, and fills in morePhrases', () => {
    const a = { id: 1, imageId: 1, categoryId: null, phrase: 'cup', visible: [0, 0, 1, 1], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true, color: '#fff', createdAt: 1, updatedAt: 1 };
    const parsed = requestSchemas['annotations:restore'].parse({ annotations: [a] });
    expect(parsed.annotations[0]).toEqual({ ...a, morePhrases: [], truncated: null, difficult: false, attributes: {} });
    expect(requestSchemas['annotations:restore'].safeParse({ annotations: [{ ...a, source: 'guess' }] }).success).toBe(false);
  });
});

describe('image status and evaluation kind', () => {
  it('the contract takes exactly the listed statuses and kinds', () => {
    for (const status of IMAGE_STATUSES) expect(requestSchemas['images:setStatus'].safeParse({ id: 1, status }).success).toBe(true);
    expect(requestSchemas['images:setStatus'].safeParse({ id: 1, status: 'skipped' }).success).toBe(false);
    for (const kind of EVAL_KINDS) expect(requestSchemas['eval:run'].safeParse({ kind }).success).toBe(true);
    expect(requestSchemas['eval:run'].safeParse({ kind: 'all' }).success).toBe(false);
  });
});
