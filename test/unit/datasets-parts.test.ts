// The pure parts of the grounding exports (issue 9, item 4): the pickle
// writer (decoded here by a small reader of the opcodes it writes; the
// integration test loads real files with Python), RefCOCO tokens, and seeded
// image splits.
import { describe, expect, it } from 'vitest';
import { pickle, type PickleValue } from '@core/datasets/pickle';
import { assignSplits, DEFAULT_SPLITS, formatSplits, parseSplits } from '@core/datasets/splits';
import { refSentence, tokenize } from '@core/datasets/tokens';
import { egmAnswer, gridBox } from '@core/datasets/qwenvl';

/** Reads protocol-2 pickles made of the opcodes pickle.ts writes. */
function unpickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  let at = 0;
  if (bytes[at++] !== 0x80 || bytes[at++] !== 2) throw new Error('not protocol 2');
  for (;;) {
    const op = bytes[at++];
    switch (op) {
      case 0x2e: return stack.pop() as PickleValue;
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4b: stack.push(bytes[at++]); break;
      case 0x4d: stack.push(view.getUint16(at, true)); at += 2; break;
      case 0x4a: stack.push(view.getInt32(at, true)); at += 4; break;
      case 0x8a: {
        const n = bytes[at++]!;
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
        if (n > 0 && bytes[at + n - 1]! >= 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        at += n;
        break;
      }
      case 0x47: stack.push(view.getFloat64(at, false)); at += 8; break;
      case 0x58: {
        const n = view.getInt32(at, true);
        stack.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
        at += 4 + n;
        break;
      }
      case 0x5d: stack.push([]); break;
      case 0x7d: stack.push({}); break;
      case 0x28: marks.push(stack.length); break;
      case 0x65: { const items = stack.splice(marks.pop()!); (stack.at(-1) as unknown[]).push(...items); break; }
      case 0x75: {
        const items = stack.splice(marks.pop()!);
        const dict = stack.at(-1) as Record<string, unknown>;
        for (let i = 0; i < items.length; i += 2) dict[items[i] as string] = items[i + 1];
        break;
      }
      default: throw new Error(`unknown opcode ${op} at ${at - 1}`);
    }
  }
}

describe('pickle', () => {
  it('writes plain data that reads back the same', () => {
    const value: PickleValue = [{ a: 1, b: [true, false, null], c: 'é✓ 🍋', d: -5, e: 300, f: 70_000, g: 2 ** 40, h: -(2 ** 40), i: 1.5, j: {} }, [], ''];
    expect(unpickle(pickle(value))).toEqual(value);
  });

  it('batches long lists as Python does and keeps their order', () => {
    const long = Array.from({ length: 2500 }, (_, i) => i);
    expect(unpickle(pickle(long))).toEqual(long);
  });

  it('writes the smallest forms: {"a": 1} is 14 bytes', () => {
    expect(Buffer.from(pickle({ a: 1 })).toString('hex')).toBe('80027d28580100000061' + '4b01752e');
  });

  it('refuses what has no plain pickle form, saying where', () => {
    expect(() => pickle([{ x: Number.NaN }])).toThrow('pickle: value[0].x is NaN, not a finite number');
    expect(() => pickle({ big: 2 ** 60 })).toThrow('beyond the integers a double holds exactly');
  });
});

describe('RefCOCO sentences', () => {
  it('lower-cases, keeps words with inner apostrophes, drops punctuation', () => {
    expect(tokenize("The player's  ball, (left)!")).toEqual(['the', "player's", 'ball', 'left']);
    expect(refSentence('Zwei Äpfel — 日本', 7)).toEqual({ tokens: ['zwei', 'äpfel', '日本'], raw: 'Zwei Äpfel — 日本', sent: 'zwei äpfel 日本', sent_id: 7 });
  });
});

describe('splits', () => {
  it('parses and scales fractions, refuses bad lists in one line', () => {
    expect(parseSplits('train=8,val=1,test=1')).toEqual([{ name: 'train', fraction: 0.8 }, { name: 'val', fraction: 0.1 }, { name: 'test', fraction: 0.1 }]);
    expect(() => parseSplits('train=0.5,train=0.5')).toThrow("--splits: 'train' is named twice");
    expect(() => parseSplits('train=0')).toThrow('add up to 0');
  });

  it("formats the CLI's default splits as the export dialog shows them, which parse back the same (issue 18)", () => {
    expect(formatSplits(DEFAULT_SPLITS)).toBe('train=0.8,val=0.1,test=0.1');
    expect(parseSplits(formatSplits(DEFAULT_SPLITS))).toEqual(DEFAULT_SPLITS);
  });

  it('puts whole images in splits, the same for the same seed, about the fractions asked', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i * 3 + 1);
    const shares = parseSplits('train=0.8,val=0.1,test=0.1');
    const a = assignSplits(ids, shares, 42);
    expect(assignSplits([...ids].reverse(), shares, 42)).toEqual(a);
    expect(assignSplits(ids, shares, 43)).not.toEqual(a);
    const counts = [...a.values()].reduce<Record<string, number>>((c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }), {});
    expect(counts).toEqual({ train: 800, val: 100, test: 100 });
  });
});

describe('Qwen-VL answers', () => {
  it('puts boxes on the 0-1000 grid in EGM’s answer format: a visible box clamped, an amodal one past the edge kept (issue 18)', () => {
    expect(gridBox([-10, 5, 50, 120], 100, 100)).toEqual([0, 50, 500, 1000]);
    expect(gridBox([-10, 5, 50, 120], 100, 100, 'amodal')).toEqual([-100, 50, 500, 1200]);
    expect(Object.is(gridBox([-0.01, 0, 50, 50], 100, 100, 'amodal')[0], -0)).toBe(false);
    expect(egmAnswer([1, 2, 3, 4], 'the "cup"')).toBe('```json\n[\n\t{"bbox_2d": [1, 2, 3, 4], "label": "the \\"cup\\""}\n]\n```');
  });
});
