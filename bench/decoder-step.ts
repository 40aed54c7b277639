// Times the built decoder's decode step alone (no vision, no transformers.js):
// one onnxruntime-node session over <folder>/onnx/decoder_model_merged_<dtype>.onnx,
// fed a zero cache of --past positions in the rows-v1 layout (kv-cache.ts) and
// run --steps times; prints the median step and tokens/s per session-option
// variant, interleaved, with the load average. For trying graph and session
// changes in a minute instead of bench:model's many. Several folders (graphs
// built by different builder versions) alternate in each round, each fed a
// cache buffer of `--room` positions (default: what the decode loop feeds,
// the cache rounded up to ROOM_STEP) or its own `folder:room`.
// Variants: app (the app's options: spinning stops when a run returns, 100 µs
// inside one), nospin (workers sleep at once, the app's options before),
// spin (onnxruntime's defaults), spin20 / spin1000 (the app's with 20 µs /
// 1 ms), seq, one (one thread), profile (the app's options with onnxruntime's
// profiler on: a JSON trace per session in /tmp/decoder-profile_*.json, per
// node and op type).
//   npx tsx bench/decoder-step.ts <built folder>[:room] [<another>[:room] …] [--room N] [--dtype q4] [--past 329] [--steps 20] [--rounds 3] [--variants app,nospin]
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fedRoom } from '../electron/engine/local/kv-cache';
import { SESSION_OPTIONS } from '../electron/engine/local/load-model';

const opt = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const dtype = opt('dtype', 'q4');
const past = Number(opt('past', '329'));
const steps = Number(opt('steps', '20'));
const rounds = Number(opt('rounds', '3'));
const variants = opt('variants', 'app,nospin').split(',');
const defaultRoom = Number(opt('room', String(fedRoom(past + steps))));
// Positional arguments before the first --option: folder[:room].
const firstOption = process.argv.findIndex((a, i) => i >= 2 && a.startsWith('--'));
const contestants = process.argv.slice(2, firstOption < 0 ? undefined : firstOption).map((arg) => {
  const m = /^(.*?)(?::(\d+))?$/.exec(arg)!;
  return { folder: m[1]!, room: m[2] ? Number(m[2]) : defaultRoom };
});
if (!contestants.length) throw new Error('decoder-step: name a built folder');
if (contestants.some((c) => c.room < past + steps)) throw new Error(`decoder-step: a room below --past + --steps (${past + steps}) cannot hold the cache`);
const folder = contestants[0]!.folder;
const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
const text = config.text_config ?? config;
const kv = text.num_key_value_heads as number;
const headDim = (text.head_dim ?? text.hidden_size / text.num_attention_heads) as number;
// inputs_embeds carries the DeepStack features beside the embeddings (hidden × (1 + levels)).
const hidden = (text.hidden_size as number) * (1 + (config.vision_config?.deepstack_visual_indexes?.length ?? 0));
const half = dtype.endsWith('f16') || dtype === 'fp16';

const sessionWith = (extra: Record<string, string>): ort.InferenceSession.SessionOptions => ({ extra: { session: extra } });
const OPTIONS: Record<string, ort.InferenceSession.SessionOptions> = {
  app: SESSION_OPTIONS,
  nospin: sessionWith({ 'intra_op.allow_spinning': '0', 'inter_op.allow_spinning': '0' }),
  spin: {},
  spin20: sessionWith({ force_spinning_stop: '1', 'intra_op.spin_duration_us': '20' }),
  spin1000: sessionWith({ force_spinning_stop: '1', 'intra_op.spin_duration_us': '1000' }),
  profile: { ...SESSION_OPTIONS, enableProfiling: true, profileFilePrefix: '/tmp/decoder-profile' },
  seq: { ...SESSION_OPTIONS, executionMode: 'sequential' },
  one: { ...SESSION_OPTIONS, intraOpNumThreads: 1 },
};

async function stepTimes(session: ort.InferenceSession, room: number): Promise<number[]> {
  const cacheType = half ? 'float16' : 'float32';
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const m = /^past_key_values\.\d+\.(key|value)$/.exec(name);
    if (!m) continue;
    const size = kv * headDim * room;
    const data = half ? new Uint16Array(size) : new Float32Array(size);
    feeds[name] = new ort.Tensor(cacheType, data, m[1] === 'key' ? [1, kv, headDim, room] : [1, kv, room, headDim]);
  }
  const embeds = new Float32Array(hidden).map(() => Math.random() - 0.5);
  const times: number[] = [];
  for (let s = 0; s < steps; s++) {
    const p = past + s;
    const ones = new BigInt64Array(p + 1).fill(1n);
    const pos = BigInt(p);
    const f: Record<string, ort.Tensor> = { ...feeds };
    f.inputs_embeds = half ? new ort.Tensor('float16', new Uint16Array(hidden).fill(0x2c00), [1, 1, hidden]) : new ort.Tensor('float32', embeds, [1, 1, hidden]);
    f.attention_mask = new ort.Tensor('int64', ones, [1, p + 1]);
    f.position_ids = new ort.Tensor('int64', BigInt64Array.of(pos, pos, pos), [3, 1, 1]);
    if (session.inputNames.includes('num_logits_to_keep')) f.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
    const t = performance.now();
    await session.run(f);
    times.push(performance.now() - t);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const c of r % 2 ? [...contestants].reverse() : contestants) {
    const file = join(c.folder, 'onnx', `decoder_model_merged_${dtype}.onnx`);
    for (const v of variants) {
      const name = contestants.length > 1 ? `${c.folder}:${c.room} ${v}` : v;
      const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 2, ...OPTIONS[v] });
      const times = await stepTimes(session, c.room);
      await session.release();
      const ms = median(times.slice(2));
      results.set(name, [...(results.get(name) ?? []), ms]);
      console.log(`round ${r + 1} ${name}: ${ms.toFixed(1)} ms/step (${(1000 / ms).toFixed(2)} tok/s), load ${loadavg()[0]!.toFixed(2)}`);
    }
  }
}
for (const [name, ms] of results) console.log(`decoder-step ${name}=${median(ms).toFixed(1)} ms (${(1000 / median(ms)).toFixed(2)} tok/s)`);
