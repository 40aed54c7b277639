// Small requests around the completions: base URL, auth header, the model
// list (GET /v1/models) used for the default model name and for health().
// The list is read under deadlines and a size cap like every answer.
import { oneLine } from '../result';
import type { Agents, Deadlines } from './http';
import { clampDeadlines, LOOKUP_TOTAL_MS, MAX_MODEL_LIST_BYTES } from './limits';
import { send } from './request';
import type { RetryPolicy } from './retry';

export interface ServerHealth {
  ok: boolean;
  url: string;
  models: string[];
  latencyMs: number;
  /** Why it is not ok, one line. */
  reason?: string;
}

/** Trailing slashes off; a bare host (no path) gets the usual /v1. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new Error(`server URL is not a valid URL: '${baseUrl}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`server URL must be http(s), got '${baseUrl}'`);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path || '/v1'}`;
}

export interface ServerApiOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  apiKeyEnv?: string | undefined;
  deadlines: Deadlines;
  policy: RetryPolicy;
  agents: Agents;
}

export function createServerApi(options: ServerApiOptions) {
  const headers = (): Record<string, string> => {
    let key = options.apiKey;
    if (!key && options.apiKeyEnv) {
      key = process.env[options.apiKeyEnv];
      if (!key) throw new Error(`environment variable ${options.apiKeyEnv} (API key) is not set`);
    }
    return {
      'content-type': 'application/json',
      accept: 'text/event-stream, application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    };
  };
  // A small JSON answer: all four deadlines within LOOKUP_TOTAL_MS.
  const lookupDeadlines = clampDeadlines(options.deadlines, LOOKUP_TOTAL_MS);

  const listModels = async (signal?: AbortSignal, retry = true): Promise<string[]> => {
    const url = `${options.baseUrl}/models`;
    const policy = retry ? options.policy : { ...options.policy, retries: 0 };
    const { exchange } = await send({ url, method: 'GET', headers: headers(), signal, deadlines: lookupDeadlines, policy, agents: options.agents });
    let text: string;
    try {
      text = await exchange.text(MAX_MODEL_LIST_BYTES);
    } finally {
      exchange.close();
    }
    try {
      const json = JSON.parse(text) as { data?: Array<{ id?: unknown }> };
      return (json.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
    } catch (err) {
      throw new Error(`GET ${url} did not return a model list (${oneLine(err)})`);
    }
  };

  return {
    headers,
    listModels,
    async firstModel(signal?: AbortSignal): Promise<string> {
      const models = await listModels(signal);
      if (!models[0]) throw new Error(`GET ${options.baseUrl}/models lists no model`);
      return models[0];
    },
    async health(signal?: AbortSignal): Promise<ServerHealth> {
      const started = performance.now();
      try {
        // No retries: the model panel wants to know now that the server is down.
        const models = await listModels(signal, false);
        return { ok: models.length > 0, url: options.baseUrl, models, latencyMs: performance.now() - started, ...(models.length ? {} : { reason: 'server lists no model' }) };
      } catch (err) {
        return { ok: false, url: options.baseUrl, models: [], latencyMs: performance.now() - started, reason: oneLine(err) };
      }
    },
  };
}
