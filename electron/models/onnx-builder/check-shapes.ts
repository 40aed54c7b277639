// The checkpoint's tensors against config.json, before anything is built:
// every tensor the graphs read must exist with the shape the config implies.
// The graphs' reshapes and the engine's buffers are sized from the config, the
// weights from the safetensors headers; a config that disagrees with its own
// weights (a hidden size of 4e9 over 2560-wide tensors) is refused here in one
// line, naming the tensor, instead of building a graph that cannot run or
// allocating what the config claims.
import type { Qwen3VlConfig } from './qwen3vl-config';
import type { Checkpoint } from './safetensors';

const TEXT = 'model.language_model';
const VIS = 'model.visual';

/** Every tensor the builder reads, with the shape config.json implies for it. */
export function expectedShapes(cfg: Qwen3VlConfig, hasLmHead: boolean): Map<string, number[]> {
  const t = cfg.text;
  const v = cfg.vision;
  const out = new Map<string, number[]>();
  const linear = (prefix: string, n: number, k: number, bias = false) => {
    out.set(`${prefix}.weight`, [n, k]);
    if (bias) out.set(`${prefix}.bias`, [n]);
  };
  const layerNorm = (prefix: string, n: number) => {
    out.set(`${prefix}.weight`, [n]);
    out.set(`${prefix}.bias`, [n]);
  };
  out.set(`${TEXT}.embed_tokens.weight`, [t.vocab, t.hidden]);
  for (let i = 0; i < t.layers; i++) {
    const p = `${TEXT}.layers.${i}`;
    out.set(`${p}.input_layernorm.weight`, [t.hidden]);
    linear(`${p}.self_attn.q_proj`, t.heads * t.headDim, t.hidden);
    linear(`${p}.self_attn.k_proj`, t.kvHeads * t.headDim, t.hidden);
    linear(`${p}.self_attn.v_proj`, t.kvHeads * t.headDim, t.hidden);
    linear(`${p}.self_attn.o_proj`, t.hidden, t.heads * t.headDim);
    out.set(`${p}.self_attn.q_norm.weight`, [t.headDim]);
    out.set(`${p}.self_attn.k_norm.weight`, [t.headDim]);
    out.set(`${p}.post_attention_layernorm.weight`, [t.hidden]);
    linear(`${p}.mlp.gate_proj`, t.intermediate, t.hidden);
    linear(`${p}.mlp.up_proj`, t.intermediate, t.hidden);
    linear(`${p}.mlp.down_proj`, t.hidden, t.intermediate);
  }
  out.set(`${TEXT}.norm.weight`, [t.hidden]);
  if (hasLmHead && !t.tied) out.set('lm_head.weight', [t.vocab, t.hidden]);

  out.set(`${VIS}.patch_embed.proj.weight`, [v.hidden, v.inChannels, v.temporalPatch, v.patch, v.patch]);
  out.set(`${VIS}.patch_embed.proj.bias`, [v.hidden]);
  out.set(`${VIS}.pos_embed.weight`, [v.posSide * v.posSide, v.hidden]);
  for (let i = 0; i < v.depth; i++) {
    const b = `${VIS}.blocks.${i}`;
    for (const norm of ['norm1', 'norm2']) layerNorm(`${b}.${norm}`, v.hidden);
    linear(`${b}.attn.qkv`, 3 * v.hidden, v.hidden, true);
    linear(`${b}.attn.proj`, v.hidden, v.hidden, true);
    linear(`${b}.mlp.linear_fc1`, v.intermediate, v.hidden, true);
    linear(`${b}.mlp.linear_fc2`, v.hidden, v.intermediate, true);
  }
  const merged = v.hidden * v.merge * v.merge;
  const merger = (prefix: string, normWidth: number) => {
    layerNorm(`${prefix}.norm`, normWidth);
    linear(`${prefix}.linear_fc1`, merged, merged, true);
    linear(`${prefix}.linear_fc2`, v.outHidden, merged, true);
  };
  merger(`${VIS}.merger`, v.hidden);
  v.deepstack.forEach((_, k) => merger(`${VIS}.deepstack_merger_list.${k}`, merged));
  return out;
}

/** Throws, in one line, at the first tensor that is missing or shaped otherwise than config.json says. */
export function checkShapes(cfg: Qwen3VlConfig, ckpt: Checkpoint): void {
  for (const [name, want] of expectedShapes(cfg, ckpt.has('lm_head.weight'))) {
    if (!ckpt.has(name)) throw new Error(`${ckpt.dir}: the checkpoint has no tensor '${name}' (config.json implies it, shaped [${want.join(', ')}])`);
    const have = ckpt.shape(name);
    if (have.length !== want.length || have.some((d, i) => d !== want[i])) {
      throw new Error(`${ckpt.dir}: tensor '${name}' is [${have.join(', ')}], config.json implies [${want.join(', ')}]`);
    }
  }
}
