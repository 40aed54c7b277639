// Prompt token ids for one query: chat template, one pad token per visual
// token, tokenised. The template is rendered once (with a placeholder for the
// prompt) and the part before the image tokenised once; per query only the
// short text after the image is tokenised and the pads are written as ids.
// That gives the same ids as tokenising the whole rendered chat, because the
// tokenizer splits at special tokens (<|image_pad|>, <|vision_end|>) before
// anything else (test/integration/local-prompt-ids.test.ts checks it).
// A template that does not fit that shape is rendered per query instead.
//
// The chat template comes with a downloaded model: it is a program (Jinja),
// and `range(3000000)` in one kept the host busy 47 s at 800 MB (issue 16).
// Every render runs under a time limit (a vm timeout, which stops even the
// renderer's own synchronous loop) and its text under a size limit, failing in
// one line; a real template renders one message in about a millisecond.
import vm from 'node:vm';
import { oneLine } from '@core/errors';

export const IMAGE_PAD = '<|image_pad|>';

/** Longest one render of the chat template may take (ms). */
export const TEMPLATE_TIME_LIMIT_MS = 1000;
/** Most characters one rendered chat may have (the image is one pad token at this point). */
export const TEMPLATE_OUTPUT_LIMIT = 256 * 1024;
const PLACEHOLDER = '\u0001egm-prompt\u0001';

export interface ChatTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
}
export type RenderChat = (promptText: string) => string;

/** The Qwen-VL chat: one user turn, the image first, then the text; generation prompt added; within the limits above. */
export function chatRenderer(
  processor: { apply_chat_template: (messages: never, options: Record<string, unknown>) => unknown },
  limits: { timeMs: number; chars: number } = { timeMs: TEMPLATE_TIME_LIMIT_MS, chars: TEMPLATE_OUTPUT_LIMIT },
): RenderChat {
  const context = vm.createContext({ render: null as (() => unknown) | null });
  const call = new vm.Script('render()');
  return (text) => {
    context.render = () =>
      processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] }] as never, {
        add_generation_prompt: true,
        tokenize: false,
      });
    let chat: unknown;
    try {
      chat = call.runInContext(context, { timeout: limits.timeMs });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new Error(`the model's chat template ran over ${limits.timeMs} ms for one message and was stopped (a chat template takes about 1 ms); the model folder's template is not usable`);
      }
      throw new Error(`the model's chat template failed: ${oneLine(err)}`);
    } finally {
      context.render = null;
    }
    if (typeof chat !== 'string') throw new Error(`the model's chat template gave ${typeof chat}, not text`);
    if (chat.length > limits.chars) throw new Error(`the model's chat template made ${chat.length} characters for one message (at most ${limits.chars}); the model folder's template is not usable`);
    return chat;
  };
}

/** The old, uncached way: render, expand the pad, tokenise it all. */
export function promptIdsUncached(render: RenderChat, tokenizer: ChatTokenizer, prompt: string, visualTokens: number): BigInt64Array {
  const chat = render(prompt).replace(IMAGE_PAD, () => IMAGE_PAD.repeat(visualTokens));
  return BigInt64Array.from(tokenizer.encode(chat), BigInt);
}

export class PromptIds {
  private readonly split: { head: number[]; beforePrompt: string; afterPrompt: string } | null;
  private readonly padId: number;

  constructor(
    private readonly render: RenderChat,
    private readonly tokenizer: ChatTokenizer,
  ) {
    const padId = tokenizer.convert_tokens_to_ids([IMAGE_PAD])[0];
    if (padId === undefined) throw new Error(`tokenizer has no ${IMAGE_PAD} token`);
    this.padId = padId;
    const chat = render(PLACEHOLDER);
    const pad = chat.indexOf(IMAGE_PAD);
    const slot = chat.indexOf(PLACEHOLDER);
    const once = (s: string) => chat.indexOf(s, chat.indexOf(s) + 1) === -1;
    this.split =
      pad >= 0 && slot > pad && once(IMAGE_PAD) && once(PLACEHOLDER)
        ? {
            head: tokenizer.encode(chat.slice(0, pad)),
            beforePrompt: chat.slice(pad + IMAGE_PAD.length, slot),
            afterPrompt: chat.slice(slot + PLACEHOLDER.length),
          }
        : null;
  }

  ids(prompt: string, visualTokens: number): BigInt64Array {
    if (!this.split) return promptIdsUncached(this.render, this.tokenizer, prompt, visualTokens);
    const { head, beforePrompt, afterPrompt } = this.split;
    const tail = this.tokenizer.encode(beforePrompt + prompt + afterPrompt, { add_special_tokens: false });
    const out = new BigInt64Array(head.length + visualTokens + tail.length);
    let o = 0;
    for (const id of head) out[o++] = BigInt(id);
    out.fill(BigInt(this.padId), o, o + visualTokens);
    o += visualTokens;
    for (const id of tail) out[o++] = BigInt(id);
    return out;
  }
}
