// Parses JSON text and, on failure, says where: V8's messages carry a position
// only for some errors ("Unexpected token '}', "..." is not valid JSON" has
// none and quotes the text), so a small scanner finds the offset itself and the
// message gives line and column, which is what an editor can jump to.
import { CocoFormatError } from './errors';

export function parseJsonWithPosition(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const v8 = err instanceof Error ? err.message : String(err);
    const offset = jsonErrorOffset(text) ?? Number(/at position (\d+)/.exec(v8)?.[1] ?? text.length);
    const { line, column } = lineColumn(text, offset);
    const what = v8.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    throw new CocoFormatError(`${source}: invalid JSON at line ${line}, column ${column}: ${what}`);
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/** Offset of the first syntax error, or null when the text is valid JSON. */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = () => {
    if (text[i] !== '"') fail(i);
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i);
          i += 6;
        } else if (e !== undefined && ESCAPES.includes(e)) i += 2;
        else fail(i);
      } else if ((c as string) < ' ') fail(i);
      else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          str();
          ws();
          if (text[i] !== ':') fail(i);
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail(i);
      }
    }
    if (c === '"') return str();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail(i);
    i = NUMBER.lastIndex;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(i);
    return null;
  } catch (at) {
    if (typeof at === 'number') return at;
    return null; // e.g. stack overflow on absurd nesting: fall back to V8's position
  }
}
