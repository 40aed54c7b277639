// The OpenAI chat-completions payload for one EGM query (EGM.md, "Serving it"
// and "Decoding") and the reduction of its streamed chunks into text.
// Reasoning may come three ways and all are accepted: `delta.reasoning`
// (current vLLM), `delta.reasoning_content` (older vLLM, SGLang), or inline in
// `delta.content` before `</think>` (no reasoning parser).

export interface ChatInput {
  model: string;
  dataUrl: string;
  prompt: string;
  maxTokens: number;
  /** One of N self-consistency samples: sample instead of decoding greedily. */
  sample?: boolean;
}

/**
 * Sampling for self-consistency (GroundRequest.samples > 1): greedy decoding
 * would give N identical answers. These are Qwen3's recommended thinking-mode
 * settings; top_k 20 and repetition penalty 1 are as in EGM.md either way.
 */
export const SAMPLING = { temperature: 0.6, top_p: 0.95 } as const;

export function chatBody(input: ChatInput): Record<string, unknown> {
  return {
    model: input.model,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: input.dataUrl } },
          { type: 'text', text: input.prompt },
        ],
      },
    ],
    temperature: input.sample ? SAMPLING.temperature : 0,
    top_p: input.sample ? SAMPLING.top_p : 1,
    // Not in OpenAI's schema; vLLM, SGLang and llama-server read them as extra sampling fields.
    top_k: 20,
    repetition_penalty: 1,
    max_tokens: input.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
}

export interface StreamState {
  content: string;
  /** Reasoning from the separate fields only (inline reasoning stays in content). */
  reasoning: string;
  chunks: number;
  usageTokens?: number;
  finishReason: string | null;
  /** `data: [DONE]` seen. */
  done: boolean;
  /** An error object the server sent inside the stream. */
  error?: string;
}

export function newStreamState(): StreamState {
  return { content: '', reasoning: '', chunks: 0, finishReason: null, done: false };
}

interface Delta {
  content?: unknown;
  reasoning?: unknown;
  reasoning_content?: unknown;
}

/**
 * Applies one SSE data payload. `emit` receives the text in reading order; when
 * reasoning came in a separate field, a `</think>` is emitted before the first
 * answer text so a streaming reader (parsePartialAnswer) sees the inline shape.
 */
export function applyEvent(state: StreamState, data: string, emit?: (text: string) => void): void {
  if (data.trim() === '[DONE]') {
    state.done = true;
    return;
  }
  let chunk: {
    choices?: Array<{ delta?: Delta; finish_reason?: string | null }>;
    usage?: { completion_tokens?: number };
    error?: { message?: string } | string;
    object?: string;
    message?: string;
  };
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new Error(`server sent a stream chunk that is not JSON: ${data.slice(0, 80)}`);
  }
  if (chunk.error || chunk.object === 'error') {
    const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error?.message ?? chunk.message);
    state.error = String(message ?? 'server reported an error in the stream');
    return;
  }
  if (typeof chunk.usage?.completion_tokens === 'number') state.usageTokens = chunk.usage.completion_tokens;
  const choice = chunk.choices?.[0];
  if (!choice) return;
  if (choice.finish_reason) state.finishReason = choice.finish_reason;
  const delta = choice.delta ?? {};
  const reasoning = [delta.reasoning, delta.reasoning_content].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  const content = typeof delta.content === 'string' ? delta.content : '';
  if (reasoning) {
    state.reasoning += reasoning;
    emit?.(reasoning);
  }
  if (content) {
    if (state.reasoning && !state.content) emit?.('\n</think>\n\n');
    state.content += content;
    emit?.(content);
  }
  if (reasoning || content) state.chunks += 1;
}

export function streamTokens(state: StreamState): number {
  return state.usageTokens ?? state.chunks;
}
