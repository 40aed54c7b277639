// Server-sent events over a fetch body: yields each event's data (multi-line
// data joined by '\n'), ignores comments and other fields. A read that brings
// no byte for `readTimeoutMs` throws ReadTimeoutError, so a server that went
// silent mid-answer cannot hold a request (and its pool slot) forever.
// One timer per stream, re-armed on every chunk (refresh), rather than a timer
// and a Promise.race per read: a batch streams thousands of chunks a second.

export class ReadTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no data from the server for ${ms} ms`);
    this.name = 'ReadTimeoutError';
  }
}

function dataOf(line: string): string {
  return line.slice(line.startsWith('data: ') ? 6 : 5);
}

export async function* sseEvents(body: ReadableStream<Uint8Array>, readTimeoutMs: number): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let timedOut = false;
  // Cancelling the reader ends the pending read with done = true (and closes the connection).
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, readTimeoutMs);
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw new ReadTimeoutError(readTimeoutMs);
      timer.refresh();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone '\r' at the end may be the first half of '\r\n': wait for the next chunk.
        if (!done && newline === buffer.length - 1 && buffer[newline] === '\r') break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(dataOf(line));
        }
      }
      if (done) {
        // A final event without its blank line still counts.
        if (buffer.startsWith('data:')) data.push(dataOf(buffer));
        if (data.length) yield data.join('\n');
        return;
      }
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => undefined); // no-op when the body already ended
    reader.releaseLock();
  }
}
