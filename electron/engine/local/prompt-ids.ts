// Prompt token ids for one query: chat template, one pad token per visual
// token, tokenised. The template is rendered once (with a placeholder for the
// prompt) and the part before the image tokenised once; per query only the
// short text after the image is tokenised and the pads are written as ids.
// That gives the same ids as tokenising the whole rendered chat, because the
// tokenizer splits at special tokens (<|image_pad|>, <|vision_end|>) before
// anything else (test/integration/local-prompt-ids.test.ts checks it).
// A template that does not fit that shape is rendered per query instead.

export const IMAGE_PAD = '<|image_pad|>';
const PLACEHOLDER = '\u0001egm-prompt\u0001';

export interface ChatTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
}
export type RenderChat = (promptText: string) => string;

/** The Qwen-VL chat: one user turn, the image first, then the text; generation prompt added. */
export function chatRenderer(processor: { apply_chat_template: (messages: never, options: Record<string, unknown>) => unknown }): RenderChat {
  return (text) =>
    processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] }] as never, {
      add_generation_prompt: true,
      tokenize: false,
    }) as string;
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
