// Next-token pickers (greedy argmax, temperature/top-k/top-p sampling, fp16
// logits) and the id-based text stream, the latter with the real Qwen3
// tokenizer of the tiny model.
import { describe, expect, it } from 'vitest';
import { AutoTokenizer } from '@huggingface/transformers';
import { argmax, argmaxPlain, halfToFloat, lastRow, sample } from '../../electron/engine/local/next-token';
import { wasmArgmax } from '../../electron/engine/local/argmax-wasm';
import { TokenTextStream, type DecodingTokenizer } from '../../electron/engine/local/streamer';
import { configureTransformers } from '../../electron/engine/local/transformers-env';
import { SCRIPTED_ANSWER, tinyModelDir } from '../helpers/tiny-model';

const row = (values: number[]) => lastRow(Float32Array.from(values), [1, 1, values.length]);

describe('next token', () => {
  it('argmax reads the last position of the row and keeps the first of equal maxima', () => {
    const data = Float32Array.from([9, 0, 0, 0, /* last position: */ 1, 5, 5, 2]);
    expect(argmax(lastRow(data, [1, 2, 4]))).toBe(1);
    expect(argmax(row([-3, -1, -2]))).toBe(1);
    expect(() => lastRow(new Float32Array(2), [1, 1, 4])).toThrow(/unexpected shape \[1, 1, 4\]/);
  });

  it('the SIMD argmax agrees with the plain loop: ties, NaN, -Infinity, odd lengths, a vocabulary that grows its memory', () => {
    const simd = wasmArgmax();
    expect(simd).not.toBeNull(); // Node 20 and Electron have WebAssembly SIMD
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rows: Float32Array[] = [Float32Array.of(1), Float32Array.of(-Infinity, -Infinity), new Float32Array(17).fill(3)];
    for (let k = 0; k < 200; k++) rows.push(Float32Array.from({ length: 1 + Math.floor(random() * 2000) }, () => Math.round(random() * 40) - 20));
    const big = Float32Array.from({ length: 300_001 }, () => random());
    big[299_999] = 2;
    const nanLane = new Float32Array(40);
    nanLane.set([1, NaN, 0, 0, 0, 9]); // the maximum sits in the lane that started with NaN
    rows.push(big, nanLane, Float32Array.of(5, NaN, 7, 7), Float32Array.of(NaN, 1, 2), Float32Array.of(-Infinity, NaN));
    for (const values of rows) {
      const row = lastRow(values, [values.length]);
      expect(argmax(row)).toBe(argmaxPlain(row));
    }
    expect(simd!(big)).toBe(299_999);
    expect(simd!(new Float32Array(20).fill(1))).toBe(0);
    expect(simd!(nanLane)).toBe(5);
    // A leading NaN (the plain loop then answers 0) is left to the plain loop.
    expect(simd!(Float32Array.of(NaN, 1, 2))).toBe(-1);
  });

  it('reads float16 logits', () => {
    // IEEE half bits: 1, -2.5, 2^-14 (smallest normal), 65504 (largest).
    expect([0x3c00, 0xc100, 0x0400, 0x7bff].map(halfToFloat)).toEqual([1, -2.5, 2 ** -14, 65504]);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    const bits = Uint16Array.from([0x3c00, 0x4200, 0x4700, 0x4000]); // 1, 3, 7, 2
    expect(argmax(lastRow(bits, [1, 1, 4]))).toBe(2);
  });

  it('samples only within top-k', () => {
    const logits = row([0, 10, 9.9, 9.8, 0, 9.7]);
    const seen = new Set<number>();
    let r = 0;
    for (let i = 0; i < 200; i++) seen.add(sample(logits, { temperature: 1, topK: 2, topP: 1 }, () => (r = (r + 0.137) % 1)));
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('top-p keeps the smallest prefix reaching p, at least one token', () => {
    // Probabilities ~0.5, 0.3, 0.2 at temperature 1.
    const logits = row([Math.log(0.2), Math.log(0.5), Math.log(0.3)]);
    const draw = (p: number, u: number) => sample(logits, { temperature: 1, topK: 20, topP: p }, () => u);
    expect(draw(0.4, 0.999)).toBe(1);
    expect(draw(0.75, 0.999)).toBe(2);
    expect(draw(0.75, 0.1)).toBe(1);
    expect(draw(1, 0.999)).toBe(0);
  });

  it('temperature sharpens: a low one makes the top token near certain', () => {
    const logits = row([1, 2, 1.5]);
    expect(sample(logits, { temperature: 0.01, topK: 20, topP: 1 }, () => 0.999)).toBe(1);
    expect(sample(logits, { temperature: 100, topK: 20, topP: 1 }, () => 0.999)).toBe(0);
  });
});

describe('token text stream', () => {
  it('hands over word-sized pieces that add up to the decoded answer, special tokens hidden', async () => {
    configureTransformers();
    const tokenizer = await AutoTokenizer.from_pretrained(await tinyModelDir(), { local_files_only: true });
    const ids = [...tokenizer.encode(SCRIPTED_ANSWER, { add_special_tokens: false }), 151645];
    const chunks: string[] = [];
    const stream = new TokenTextStream(tokenizer as unknown as DecodingTokenizer, (t) => chunks.push(t));
    for (const id of ids) stream.push(id);
    stream.end();
    // </think> included (not special in Qwen3's tokenizer); <|im_end|> hidden.
    expect(chunks.join('')).toBe(SCRIPTED_ANSWER);
    expect(chunks.length).toBeGreaterThan(50);
    expect(chunks.slice(0, -1).every((c) => c.endsWith(' ') || c.endsWith('\n'))).toBe(true);
  });

  it('a throwing listener does not stop the stream', () => {
    const tokenizer: DecodingTokenizer = { decode: (ids) => ids.map((i) => `w${i} `).join(''), all_special_ids: [] };
    const stream = new TokenTextStream(tokenizer, () => {
      throw new Error('listener bug');
    });
    expect(() => {
      stream.push(1);
      stream.end();
    }).not.toThrow();
  });
});
