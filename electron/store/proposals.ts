// Model proposals in a project file (schema version 3): answers waiting for
// review. They live beside the annotations, on the store's own connection, so
// accepting one (create the annotation, delete the proposal) is ONE
// transaction: a crash leaves either the proposal or the annotation, never both
// or neither.
import type Database from 'better-sqlite3';
import type { Annotation, Box, Point, Proposal, ProposalOrder } from '@core/types';
import { isOccluded } from '@core/annotation-rules';
import type { ProjectStore } from './api';
import { preparedFor } from './prepared';
import { checkAmodalBound } from './rows';

export type NewProposal = Omit<Proposal, 'id' | 'createdAt'> & { createdAt?: number };

export interface ProposalEdits {
  visible?: Box;
  amodal?: Box | null;
  categoryId?: number | null;
}


interface ProposalRow {
  id: number;
  image_id: number;
  phrase: string;
  x1: number | null; y1: number | null; x2: number | null; y2: number | null;
  ax1: number | null; ay1: number | null; ax2: number | null; ay2: number | null;
  reasoning_visible: string;
  reasoning_amodal: string;
  model: string;
  score: number | null;
  px: number | null; py: number | null;
  point_hit: number | null;
  reason: string | null;
  latency_ms: number;
  batch_id: number | null;
  created_at: number;
}

const COLUMNS = `image_id, phrase, x1, y1, x2, y2, ax1, ay1, ax2, ay2, reasoning_visible, reasoning_amodal,
  model, score, px, py, point_hit, reason, latency_ms, batch_id, created_at`;
const VALUES = `@image_id, @phrase, @x1, @y1, @x2, @y2, @ax1, @ay1, @ax2, @ay2, @reasoning_visible, @reasoning_amodal,
  @model, @score, @px, @py, @point_hit, @reason, @latency_ms, @batch_id, @created_at`;
// Lowest confidence first: a greedy answer (score null) has no measured
// confidence and goes after every scored one; ties newest first.
const ORDER: Record<ProposalOrder, string> = {
  newest: 'ORDER BY created_at DESC, id DESC',
  confidence: 'ORDER BY score IS NULL, score ASC, created_at DESC, id DESC',
};

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(`INSERT INTO proposals (${COLUMNS}) VALUES (${VALUES})`),
    insertWithId: db.prepare(`INSERT INTO proposals (id, ${COLUMNS}) VALUES (@id, ${VALUES})`),
    get: db.prepare('SELECT * FROM proposals WHERE id = ?'),
    remove: db.prepare('DELETE FROM proposals WHERE id = ?'),
    listAll: { newest: db.prepare(`SELECT * FROM proposals ${ORDER.newest}`), confidence: db.prepare(`SELECT * FROM proposals ${ORDER.confidence}`) },
    listImage: {
      newest: db.prepare(`SELECT * FROM proposals WHERE image_id = ? ${ORDER.newest}`),
      confidence: db.prepare(`SELECT * FROM proposals WHERE image_id = ? ${ORDER.confidence}`),
    },
    imageExists: db.prepare('SELECT 1 FROM images WHERE id = ?').pluck(),
  };
}

function statements(store: ProjectStore) {
  return preparedFor(store, prepare);
}

function boxOf(a: number | null, b: number | null, c: number | null, d: number | null): Box | null {
  return a === null || b === null || c === null || d === null ? null : [a, b, c, d];
}

function toProposal(row: ProposalRow): Proposal {
  const point: Point | null = row.px === null || row.py === null ? null : [row.px, row.py];
  return {
    id: row.id,
    imageId: row.image_id,
    phrase: row.phrase,
    visible: boxOf(row.x1, row.y1, row.x2, row.y2),
    amodal: boxOf(row.ax1, row.ay1, row.ax2, row.ay2),
    reasoningVisible: row.reasoning_visible,
    reasoningAmodal: row.reasoning_amodal,
    model: row.model,
    score: row.score,
    point,
    pointHit: row.point_hit === null ? null : row.point_hit !== 0,
    reason: row.reason,
    latencyMs: row.latency_ms,
    batchId: row.batch_id,
    createdAt: row.created_at,
  };
}

function checkBox(box: Box | null, what: string): void {
  if (box === null) return;
  if (!Array.isArray(box) || box.length !== 4 || !box.every(Number.isFinite) || box[2] < box[0] || box[3] < box[1]) {
    throw new Error(`${what} must be [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got ${JSON.stringify(box)}`);
  }
}

function params(p: NewProposal & { id?: number }, createdAt: number): Record<string, number | string | null> {
  return {
    ...(p.id !== undefined ? { id: p.id } : {}),
    image_id: p.imageId,
    phrase: p.phrase,
    x1: p.visible?.[0] ?? null, y1: p.visible?.[1] ?? null, x2: p.visible?.[2] ?? null, y2: p.visible?.[3] ?? null,
    ax1: p.amodal?.[0] ?? null, ay1: p.amodal?.[1] ?? null, ax2: p.amodal?.[2] ?? null, ay2: p.amodal?.[3] ?? null,
    reasoning_visible: p.reasoningVisible ?? '',
    reasoning_amodal: p.reasoningAmodal ?? '',
    model: p.model,
    score: p.score ?? null,
    px: p.point?.[0] ?? null, py: p.point?.[1] ?? null,
    point_hit: p.pointHit === null || p.pointHit === undefined ? null : p.pointHit ? 1 : 0,
    reason: p.reason ?? null,
    latency_ms: p.latencyMs,
    batch_id: p.batchId ?? null,
    created_at: createdAt,
  };
}

function check(store: ProjectStore, p: NewProposal, where: string): void {
  if (statements(store).imageExists.get(p.imageId) === undefined) throw new Error(`${where}: image ${p.imageId} not found in ${store.path}`);
  checkBox(p.visible, `${where}: visible box`);
  checkBox(p.amodal, `${where}: amodal box`);
  if (p.score !== null && !(Number.isFinite(p.score) && p.score >= 0 && p.score <= 1)) throw new Error(`${where}: score must be in [0, 1] or null, got ${p.score}`);
}

/** Stores a new proposal (its own transaction, or part of the caller's). */
export function addProposal(store: ProjectStore, proposal: NewProposal): Proposal {
  return store.transaction(() => {
    check(store, proposal, `new proposal on image ${proposal.imageId}`);
    const result = statements(store).insert.run(params(proposal, proposal.createdAt ?? Date.now()));
    return requireProposal(store, Number(result.lastInsertRowid));
  });
}

export function getProposal(store: ProjectStore, id: number): Proposal | undefined {
  const row = statements(store).get.get(id) as ProposalRow | undefined;
  return row && toProposal(row);
}

function requireProposal(store: ProjectStore, id: number): Proposal {
  const proposal = getProposal(store, id);
  if (!proposal) throw new Error(`proposal ${id} not found in ${store.path} (already accepted or rejected?)`);
  return proposal;
}

/** Pending proposals, of one image or all, newest first or lowest confidence first. */
export function listProposals(store: ProjectStore, options: { imageId?: number; order?: ProposalOrder } = {}): Proposal[] {
  const order = options.order ?? 'newest';
  const sql = statements(store);
  const rows = options.imageId === undefined ? sql.listAll[order].all() : sql.listImage[order].all(options.imageId);
  return (rows as ProposalRow[]).map(toProposal);
}

/** Deletes a proposal and returns it (for undo). */
export function rejectProposal(store: ProjectStore, id: number): Proposal {
  return store.transaction(() => {
    const proposal = requireProposal(store, id);
    statements(store).remove.run(id);
    return proposal;
  });
}

/** Puts a rejected or accepted proposal back under its id (undo). */
export function restoreProposal(store: ProjectStore, proposal: Proposal): Proposal {
  return store.transaction(() => {
    const where = `proposal ${proposal.id}`;
    if (getProposal(store, proposal.id)) throw new Error(`cannot restore ${where}: a proposal with this id already exists in ${store.path}`);
    check(store, proposal, where);
    statements(store).insertWithId.run(params(proposal, proposal.createdAt));
    return requireProposal(store, proposal.id);
  });
}

/**
 * Bulk review (issue 18): accepts many proposals, each with the user's edits
 * if any, in ONE transaction: all are accepted or, when one cannot be (gone,
 * no visible box, a box past the bound), none is and the error names it.
 */
export function acceptProposals(store: ProjectStore, items: readonly ({ id: number } & ProposalEdits)[]): { annotation: Annotation; proposal: Proposal }[] {
  return store.transaction(() => items.map(({ id, ...edits }) => acceptProposal(store, id, edits)));
}

/**
 * Accepts a proposal, with the user's edits: creates the annotation (source
 * 'model', reviewed) and deletes the proposal in one transaction. The image
 * now has a label: one still 'todo' becomes 'in-progress' (as a drawn box
 * makes it), in the same transaction (issue 18, item 8).
 */
export function acceptProposal(store: ProjectStore, id: number, edits: ProposalEdits = {}): { annotation: Annotation; proposal: Proposal } {
  return store.transaction(() => {
    const proposal = requireProposal(store, id);
    const visible = edits.visible ?? proposal.visible;
    if (!visible) throw new Error(`proposal ${id} has no visible box; draw one (or ask for the visible box) before accepting`);
    const amodal = edits.amodal !== undefined ? edits.amodal : proposal.amodal;
    // An amodal box may reach past the image, within the one bound: the model's own answer is mapped inside it (toAmodalPixelBox), an edited one is checked here.
    const image = store.getImage(proposal.imageId);
    if (image) checkAmodalBound(amodal, image, `accepting proposal ${id}`);
    const annotation = store.createAnnotation({
      imageId: proposal.imageId,
      categoryId: edits.categoryId ?? null,
      phrase: proposal.phrase,
      visible,
      amodal,
      occluded: isOccluded(visible, amodal),
      source: 'model',
      model: proposal.model,
      score: proposal.score,
      reviewed: true,
    });
    statements(store).remove.run(id);
    if (image?.status === 'todo') store.setImageStatus(image.id, 'in-progress');
    return { annotation, proposal };
  });
}
