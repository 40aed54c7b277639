// The text half of a Qwen3-VL checkpoint as a plain Qwen3ForCausalLM
// checkpoint, with the same weights byte for byte: what onnxruntime-genai's
// model builder takes (it has no Qwen3-VL text path), so `npm run bench:model`
// compares the app's decoder with genai's on identical weights.
// `model.language_model.X` becomes `model.X`; the vision tower is left out.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

interface Header {
  [name: string]: { dtype: string; shape: number[]; data_offsets: [number, number] };
}

function readHeader(path: string): { header: Header; dataStart: number } {
  const fd = openSync(path, 'r');
  try {
    const len = Buffer.alloc(8);
    readSync(fd, len, 0, 8, 0);
    const n = Number(len.readBigUInt64LE(0));
    const json = Buffer.alloc(n);
    readSync(fd, json, 0, n, 8);
    const header = JSON.parse(json.toString('utf8')) as Header;
    delete (header as Record<string, unknown>).__metadata__;
    return { header, dataStart: 8 + n };
  } finally {
    closeSync(fd);
  }
}

/** Writes `out` from the Qwen3-VL checkpoint `src` (one output shard per input shard); returns the tensor bytes written. */
export function writeQwen3TextCheckpoint(src: string, out: string): number {
  mkdirSync(out, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as { text_config: Record<string, unknown>; tie_word_embeddings?: boolean };
  const t = cfg.text_config;
  const rope = (t.rope_parameters ?? t.rope_scaling ?? {}) as Record<string, unknown>;
  const index = JSON.parse(readFileSync(join(src, 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string> };
  const shards = [...new Set(Object.values(index.weight_map))];
  const weightMap: Record<string, string> = {};
  const chunk = Buffer.alloc(64 * 1024 * 1024);
  let total = 0;
  for (const shard of shards) {
    const { header, dataStart } = readHeader(join(src, shard));
    const names = Object.keys(header).filter((n) => n.startsWith('model.language_model.') || n === 'lm_head.weight');
    if (!names.length) continue;
    const outHeader: Header = {};
    let offset = 0;
    for (const name of names) {
      const e = header[name]!;
      const bytes = e.data_offsets[1] - e.data_offsets[0];
      const renamed = name.replace('model.language_model.', 'model.');
      outHeader[renamed] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + bytes] };
      weightMap[renamed] = shard;
      offset += bytes;
    }
    let json = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, ...outHeader }));
    json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const inFd = openSync(join(src, shard), 'r');
    const outFd = openSync(join(out, shard), 'w');
    try {
      writeSync(outFd, len);
      writeSync(outFd, json);
      for (const name of names) {
        const e = header[name]!;
        let at = dataStart + e.data_offsets[0];
        const end = dataStart + e.data_offsets[1];
        while (at < end) {
          const n = readSync(inFd, chunk, 0, Math.min(chunk.length, end - at), at);
          writeSync(outFd, chunk, 0, n);
          at += n;
          total += n;
        }
      }
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
  }
  writeFileSync(join(out, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 1));
  const tied = Boolean(cfg.tie_word_embeddings ?? t.tie_word_embeddings ?? false);
  writeFileSync(
    join(out, 'config.json'),
    JSON.stringify(
      {
        architectures: ['Qwen3ForCausalLM'],
        model_type: 'qwen3',
        torch_dtype: 'bfloat16',
        hidden_size: t.hidden_size,
        intermediate_size: t.intermediate_size,
        num_hidden_layers: t.num_hidden_layers,
        num_attention_heads: t.num_attention_heads,
        num_key_value_heads: t.num_key_value_heads,
        head_dim: t.head_dim,
        hidden_act: 'silu',
        max_position_embeddings: 40960,
        rms_norm_eps: t.rms_norm_eps ?? 1e-6,
        rope_theta: rope.rope_theta ?? t.rope_theta ?? 5_000_000,
        vocab_size: t.vocab_size,
        attention_bias: false,
        tie_word_embeddings: tied,
        bos_token_id: 151643,
        eos_token_id: 151645,
        use_cache: true,
      },
      null,
      2,
    ),
  );
  for (const name of ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'chat_template.jinja']) {
    if (existsSync(join(src, name))) copyFileSync(join(src, name), join(out, name));
  }
  return total;
}
