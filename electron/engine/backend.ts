// What a grounding backend (local ONNX model or OpenAI-compatible server) offers.
// Backends never throw for a failed query: they resolve a GroundingResult whose
// box is null and whose reason says why (DESIGN.md, "Grounding result").
import type { BoxKind, GroundingResult, Point } from '@core/types';

export interface GroundRequest {
  /** Absolute path of the image file. */
  imagePath: string;
  phrase: string;
  kind: BoxKind;
  /** Optional hint in original-image pixels. */
  point?: Point;
  /** Reasoning budget (max new tokens); EGM.md default 4096. */
  maxNewTokens?: number;
  /** Cap on the pixels sent to the model (pre-resize). */
  maxPixels?: number;
  /** Self-consistency samples (issue 4); 1 = greedy. */
  samples?: number;
  /** Longest this query may take (ms), retries included; default: the backend's own limit. Over it: reason 'timeout'. */
  timeoutMs?: number;
}

export interface GroundOptions {
  signal?: AbortSignal;
  /** Streamed text as it is generated (reasoning, then the answer). */
  onToken?: (text: string) => void;
}

export interface BackendInfo {
  kind: 'local' | 'server';
  model: string;
  /** Where it runs: 'cuda', 'cpu', 'dml', ..., or the server URL. */
  device: string;
  /** Why the device is what it is (e.g. GPU probe failed → CPU). */
  deviceReason?: string;
}

export interface GroundingBackend {
  /**
   * How many requests it serves at once: 1 for the local model host (one
   * generation at a time), the configured pool size for a server. What the
   * grounding scheduler (grounding/query.ts requestSlots) reads; no caller
   * decides this from the backend's kind.
   */
  readonly concurrency: number;
  info(): BackendInfo;
  ground(request: GroundRequest, options?: GroundOptions): Promise<GroundingResult>;
  /**
   * Optional: prepares an image a query will likely ask about soon (the local
   * engine decodes it into its vision cache). Resolves when ready; rejects
   * with a one-line reason where the image cannot be read.
   */
  prefetch?(imagePath: string, maxPixels?: number): Promise<void>;
  dispose(): Promise<void>;
}
