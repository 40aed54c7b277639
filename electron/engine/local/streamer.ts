// Streams generated text to a GroundOptions.onToken callback. transformers.js'
// TextStreamer decodes the growing token list and hands over word-sized,
// printable chunks; we only redirect them (its default prints to stdout,
// which in the CLI is reserved for JSON). Special tokens stay hidden except
// `</think>`, which Qwen3's tokenizer does not mark special, so the stream
// shows where reasoning ends, as the final answer text does.
import { TextStreamer } from '@huggingface/transformers';

type Tokenizer = ConstructorParameters<typeof TextStreamer>[0];

export class CallbackStreamer extends TextStreamer {
  constructor(
    tokenizer: Tokenizer,
    private readonly onText: (text: string) => void,
  ) {
    super(tokenizer, { skip_prompt: true, skip_special_tokens: true });
  }

  override on_finalized_text(text: string, _streamEnd: boolean): void {
    if (!text) return;
    try {
      this.onText(text);
    } catch {
      // A listener's bug must not abort generation; the final result still carries the whole text.
    }
  }
}
