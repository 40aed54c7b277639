// A tiny random Qwen3-VL checkpoint in the layout the hub serves for EGM:
// made by Hugging Face's own code (scripts/parity/make_tiny_qwen3vl.py in the
// .venv-parity venv), then split into shards with a model.safetensors.index.json
// as save_pretrained writes for a large model, so per-shard resume is tested.
// Without the venv, PYTHON is undefined and callers skip, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './tiny-model';

export const PYTHON = [resolve(REPO_ROOT, '.venv-parity/bin/python'), resolve(REPO_ROOT, '.venv-parity/Scripts/python.exe')].find((p) => existsSync(p));
export const NO_VENV = 'no Python reference venv (.venv-parity) to make an HF checkpoint; create it with `bash scripts/setup-python.sh`';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function encode(header: Record<string, unknown>, body: Buffer[]): Buffer {
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]); // padded, as safetensors does
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...body]);
}

/** Splits <dir>/model.safetensors into `shards` files of about equal size plus the index; returns the shard names. */
export async function shardCheckpoint(dir: string, shards: number): Promise<string[]> {
  const whole = await readFile(join(dir, 'model.safetensors'));
  const n = Number(whole.readBigUInt64LE(0));
  const header = JSON.parse(whole.subarray(8, 8 + n).toString('utf8')) as Record<string, HeaderEntry>;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const total = names.reduce((s, k) => s + header[k]!.data_offsets[1] - header[k]!.data_offsets[0], 0);
  const shardNames = Array.from({ length: shards }, (_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`);
  const groups: string[][] = shardNames.map(() => []);
  let acc = 0;
  for (const name of names) {
    const e = header[name]!;
    groups[Math.min(shards - 1, Math.floor((acc * shards) / total))]!.push(name);
    acc += e.data_offsets[1] - e.data_offsets[0];
  }
  const weightMap: Record<string, string> = {};
  for (const [i, group] of groups.entries()) {
    const h: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    const body: Buffer[] = [];
    let off = 0;
    for (const name of group) {
      const e = header[name]!;
      const bytes = whole.subarray(8 + n + e.data_offsets[0], 8 + n + e.data_offsets[1]);
      h[name] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + bytes.length] };
      body.push(bytes);
      off += bytes.length;
      weightMap[name] = shardNames[i]!;
    }
    await writeFile(join(dir, shardNames[i]!), encode(h, body));
  }
  await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2));
  await rm(join(dir, 'model.safetensors'));
  return shardNames;
}

/** Makes the tiny checkpoint (config 'b' unless told) in `dir`, sharded; needs PYTHON. */
export async function makeTinyCheckpoint(dir: string, { config = 'b', shards = 2 } = {}): Promise<string[]> {
  execFileSync(PYTHON!, ['scripts/parity/make_tiny_qwen3vl.py', '--out', dir, '--config', config], { cwd: REPO_ROOT, stdio: 'pipe' });
  await rm(join(dir, 'tiny_qwen3vl.json'));
  return shardCheckpoint(dir, shards);
}

/** Every file of a folder, by relative path, for the fake hub. */
export async function filesOf(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const name of await readdir(dir)) out[name] = await readFile(join(dir, name));
  return out;
}
