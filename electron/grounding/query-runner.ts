// Live queries in main: one phrase (and optional point) on one image, its
// reasoning streamed as tokens, its answer stored as a proposal. Each query is
// known by the renderer's query id, so ground:cancel (or a project switch)
// stops exactly that one; a cancelled query stores nothing and answers
// { cancelled: true }: a value, not an error to match by its text.
import { setMaxListeners } from 'node:events';
import type { BoxKind, GroundingSettings, Point, Proposal } from '@core/types';
import { isTransientReason } from '../engine/result';
import type { ProjectStore } from '../store/api';
import { addProposal } from '../store/proposals';
import { proposalFields } from './combine';
import type { ModelManager } from './model-manager';
import type { ProposalReview } from './proposal-review';
import { groundQuery } from './query';

export interface GroundInput {
  queryId: string;
  imageId: number;
  phrase: string;
  point?: Point;
}

/** What a query comes to: its stored proposal, or cancelled (nothing stored). */
export type GroundAnswer = { proposal: Proposal } | { cancelled: true };

export interface QueryRunnerOptions {
  getStore: () => ProjectStore;
  models: ModelManager;
  /** The saved grounding settings as they are when a query starts. */
  settings: () => GroundingSettings;
  review: ProposalReview;
  /** Streamed text of each query, tagged with its id (the 'ground:token' event). */
  onToken?: (event: { queryId: string; kind: BoxKind; text: string }) => void;
}

export class QueryRunner {
  readonly #queries = new Map<string, AbortController>();

  constructor(private readonly options: QueryRunnerOptions) {}

  /**
   * Asks for the boxes the settings name (both by default) for one phrase on
   * one image, streaming reasoning through onToken (the options' and this
   * call's), and stores the answer as a proposal. Bad input, no model, or no
   * answer at all (the server failed) throw a one-line error.
   */
  async ground(input: GroundInput, onToken?: (kind: BoxKind, text: string) => void): Promise<GroundAnswer> {
    if (this.#queries.has(input.queryId)) throw new Error(`query ${input.queryId} is already running`);
    const controller = new AbortController();
    // One listener per request of the query (kinds × samples, up to 32).
    setMaxListeners(64, controller.signal);
    this.#queries.set(input.queryId, controller);
    try {
      const store = this.options.getStore();
      const image = store.getImage(input.imageId);
      const imagePath = store.imageFilePath(input.imageId);
      if (!image || !imagePath) throw new Error(`no image with id ${input.imageId} in this project`);
      if (image.missing) throw new Error(`image ${input.imageId}: file missing (${imagePath})`);
      if (input.point && !(input.point[0] >= 0 && input.point[1] >= 0 && input.point[0] <= image.width && input.point[1] <= image.height)) {
        throw new Error(`point ${input.point.join(',')} is outside the ${image.width}x${image.height} image`);
      }
      const { models } = this.options;
      const backend = await models.ready();
      const started = performance.now();
      const token = this.options.onToken;
      const stream = token || onToken
        ? (kind: BoxKind, text: string) => {
            token?.({ queryId: input.queryId, kind, text });
            onToken?.(kind, text);
          }
        : undefined;
      const query = await groundQuery(backend, {
        imagePath,
        phrase: input.phrase,
        settings: this.options.settings(),
        signal: controller.signal,
        ...(input.point ? { point: input.point } : {}),
        ...(stream ? { onToken: stream } : {}),
      });
      if (query.cancelled || controller.signal.aborted) return { cancelled: true };
      const fields = proposalFields(query.outcomes, input.point ?? null, backend.info().model);
      if (fields.visible === null && fields.amodal === null && fields.reason !== 'no-box') {
        // No answer at all (the server failed, the answer was cut or truncated): an error the
        // user can retry, not a "no box" proposal in the review queue.
        if (isTransientReason(fields.reason)) models.reportProblem(`the server failed: ${fields.reason}`);
        throw new Error(`no answer from the model: ${fields.reason}`);
      }
      models.reportOk();
      const proposal = addProposal(store, { ...fields, imageId: input.imageId, phrase: input.phrase, latencyMs: Math.round(performance.now() - started), batchId: null });
      this.options.review.added(proposal);
      return { proposal };
    } finally {
      this.#queries.delete(input.queryId);
    }
  }

  /** Cancels a running query; false when no query has this id (finished already). */
  cancel(queryId: string): boolean {
    const controller = this.#queries.get(queryId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Cancels every running query (the project is about to change). */
  cancelAll(): void {
    for (const controller of this.#queries.values()) controller.abort();
  }
}
