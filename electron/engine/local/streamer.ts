// Streams generated text to a GroundOptions.onToken callback, one token id at
// a time from our decode loop. Same chunking as transformers.js' TextStreamer
// (word-sized printable pieces; the pending ids are dropped after a newline so
// each decode stays short), but on plain number ids. Special tokens stay
// hidden except `</think>`, which Qwen3's tokenizer does not mark special, so
// the stream shows where reasoning ends, as the final answer text does.

export interface DecodingTokenizer {
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
  all_special_ids: readonly number[];
}

export class TokenTextStream {
  private pending: number[] = [];
  private printed = 0;
  private readonly special: Set<number>;

  constructor(
    private readonly tokenizer: DecodingTokenizer,
    private readonly onText: (text: string) => void,
  ) {
    this.special = new Set(tokenizer.all_special_ids.map(Number));
  }

  push(id: number): void {
    if (this.special.has(id)) return;
    this.pending.push(id);
    const text = this.tokenizer.decode(this.pending, { skip_special_tokens: true });
    if (text.endsWith('\n')) {
      this.emit(text.slice(this.printed));
      this.pending = [];
      this.printed = 0;
      return;
    }
    // Up to the last space: a later token may still change the current word
    // (or complete a multi-byte character).
    const end = text.lastIndexOf(' ') + 1;
    if (end > this.printed) {
      this.emit(text.slice(this.printed, end));
      this.printed = end;
    }
  }

  end(): void {
    if (this.pending.length) this.emit(this.tokenizer.decode(this.pending, { skip_special_tokens: true }).slice(this.printed));
    this.pending = [];
    this.printed = 0;
  }

  private emit(text: string): void {
    if (!text) return;
    try {
      this.onText(text);
    } catch {
      // A listener's bug must not abort generation; the final result still carries the whole text.
    }
  }
}
