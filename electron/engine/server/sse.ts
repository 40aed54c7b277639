// Server-sent events, parsed in linear time: each chunk of text is split once
// into lines, and only the unfinished last line is kept (as pieces, joined
// when it ends), so a line that arrives in many chunks is never rescanned.
// Yields each event's data (multi-line data joined by '\n'); comments
// (": keep-alive") and other fields are skipped. A line or an event longer
// than maxLineChars throws TooLargeError: the reader stops there instead of
// buffering a server's endless line.
import { TooLargeError } from './errors';

const LINE_BREAK = /\r\n|\r|\n/;

export class SseParser {
  #partial: string[] = [];
  #partialChars = 0;
  #data: string[] = [];
  #dataChars = 0;
  /** The last chunk ended with '\r': a '\n' starting the next one belongs to that break. */
  #skipLf = false;

  constructor(private readonly maxLineChars: number) {}

  /** Feeds decoded text; returns the events it completed. */
  push(text: string): string[] {
    const events: string[] = [];
    if (this.#skipLf && text.startsWith('\n')) text = text.slice(1);
    this.#skipLf = false;
    if (text === '') return events;
    this.#skipLf = text.endsWith('\r');
    const lines = text.split(LINE_BREAK);
    const rest = lines.pop()!;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      if (i === 0 && this.#partial.length) {
        this.#grow(line.length);
        line = this.#partial.join('') + line;
        this.#partial = [];
        this.#partialChars = 0;
      }
      this.#line(line, events);
    }
    if (rest) {
      this.#grow(rest.length);
      this.#partial.push(rest);
      this.#partialChars += rest.length;
    }
    return events;
  }

  /** The body ended: a last event without its blank line still counts. */
  end(): string[] {
    const events: string[] = [];
    if (this.#partial.length) {
      this.#line(this.#partial.join(''), events);
      this.#partial = [];
      this.#partialChars = 0;
    }
    this.#line('', events);
    return events;
  }

  #grow(chars: number): void {
    if (this.#partialChars + chars > this.maxLineChars) throw new TooLargeError(`the server sent a stream line over ${this.maxLineChars} characters`);
  }

  #line(line: string, events: string[]): void {
    if (line === '') {
      if (this.#data.length) events.push(this.#data.join('\n'));
      this.#data = [];
      this.#dataChars = 0;
    } else if (line.startsWith('data:')) {
      const value = line.slice(line.startsWith('data: ') ? 6 : 5);
      this.#dataChars += value.length;
      if (this.#dataChars > this.maxLineChars) throw new TooLargeError(`the server sent a stream event over ${this.maxLineChars} characters`);
      this.#data.push(value);
    }
    // ':' comments (keep-alives), event:, id:, retry: carry nothing an answer needs.
  }
}
