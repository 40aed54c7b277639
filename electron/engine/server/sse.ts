// Server-sent events over a fetch body: yields each event's data (multi-line
// data joined by '\n'), ignores comments and other fields. A read that brings
// no byte for `readTimeoutMs` throws ReadTimeoutError, so a server that went
// silent mid-answer cannot hold a request (and its pool slot) forever.

export class ReadTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no data from the server for ${ms} ms`);
    this.name = 'ReadTimeoutError';
  }
}

async function readWithTimeout(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function* sseEvents(body: ReadableStream<Uint8Array>, readTimeoutMs: number): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await readWithTimeout(reader, readTimeoutMs);
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
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      if (done) {
        // A final event without its blank line still counts.
        if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
        if (data.length) yield data.join('\n');
        return;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined); // the body may already be closed or errored
    reader.releaseLock();
  }
}
