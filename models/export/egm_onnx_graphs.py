"""Traceable torch modules for the three transformers.js graphs of a Qwen3-VL / EGM model.

transformers.js (v4, Qwen2.5-VL code path) runs:
  vision_encoder(pixel_values f32 [patches, C*T*P*P], image_grid_thw i64 [1, 3]) -> image_features
  embed_tokens(input_ids i64 [batch_size, seq]) -> inputs_embeds
  decoder_model_merged(inputs_embeds, attention_mask, position_ids [3, batch, seq],
                       past_key_values.N.key/value) -> logits, present.N.key/value
and copies each image_features row into inputs_embeds at the <|image_pad|> positions.
It has no DeepStack code, so DeepStack rides along in that copy:

  width W = hidden * (1 + L), L = len(vision_config.deepstack_visual_indexes)
  image_features[:, 0:H]              merger output (the usual visual token embedding)
  image_features[:, H*(k+1):H*(k+2)]  deepstack_merger_list[k] output (vision layer deepstack_visual_indexes[k])
  embed_tokens emits the token embedding in [0:H] and zeros in the L extra slices
  decoder adds slice k+1 to the hidden states right after decoder layer k (k < L)

Text positions carry zeros in the extra slices, so the decoder's add is a plain add that only
changes image positions -- the same result as Qwen3VLTextModel._deepstack_process, which adds
deepstack_visual_embeds[k] at visual_pos_masks after layer k.

The HF modules are reused for weights and for the per-token pieces (norms, MLPs, mergers); the
parts whose HF code is not traceable with dynamic shapes (vision rot_pos_emb and
fast_pos_embed_interpolate use .tolist()/Python loops over grid_thw; attention uses Cache objects)
are re-implemented here with tensor ops. Written against transformers 4.57 modeling_qwen3_vl.py.
One image per vision_encoder call (what the app sends); several images need several calls.
"""

import torch
import torch.nn.functional as F
from torch import nn


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def deepstack_count(config):
    return len(getattr(config.vision_config, "deepstack_visual_indexes", None) or [])


class VisionEncoder(nn.Module):
    """Qwen3VLVisionModel.forward for one image, traceable with a dynamic grid."""

    def __init__(self, visual):
        super().__init__()
        cfg = visual.config
        self.visual = visual
        self.merge = int(cfg.spatial_merge_size)
        self.grid_side = int(cfg.num_position_embeddings**0.5)
        self.deepstack_indexes = list(getattr(cfg, "deepstack_visual_indexes", None) or [])
        proj = visual.patch_embed.proj  # Conv3d whose kernel == stride == one whole patch
        # A Conv3d over exactly one patch is a matmul over the flattened patch (C, T, P, P order,
        # the order the processor flattens in), so no Conv3d reaches the graph.
        self.register_buffer("patch_w", proj.weight.detach().reshape(proj.out_channels, -1).t().contiguous(), persistent=False)
        self.register_buffer("patch_b", proj.bias.detach().clone(), persistent=False)

    def positions(self, n, grid):
        """(row, col) of each patch in the processor's merge-block order, like rot_pos_emb."""
        h, w = grid[0, 1], grid[0, 2]
        m = self.merge
        p = torch.arange(n, device=grid.device) % (h * w)  # frames repeat the same layout
        block, intra = p // (m * m), p % (m * m)
        blocks_w = w // m
        row = (block // blocks_w) * m + intra // m
        col = (block % blocks_w) * m + intra % m
        return row, col, h, w

    def pos_embed(self, row, col, h, w, dtype):
        """fast_pos_embed_interpolate: bilinear lookup in the grid_side x grid_side table."""
        g = self.grid_side
        fh = row.float() * ((g - 1) / (h - 1).clamp(min=1).float())
        fw = col.float() * ((g - 1) / (w - 1).clamp(min=1).float())
        h0, w0 = fh.floor().long(), fw.floor().long()
        h1, w1 = (h0 + 1).clamp(max=g - 1), (w0 + 1).clamp(max=g - 1)
        dh, dw = fh - h0.float(), fw - w0.float()
        table = self.visual.pos_embed.weight
        out = table[h0 * g + w0] * ((1 - dh) * (1 - dw)).to(dtype)[:, None]
        out = out + table[h0 * g + w1] * ((1 - dh) * dw).to(dtype)[:, None]
        out = out + table[h1 * g + w0] * (dh * (1 - dw)).to(dtype)[:, None]
        out = out + table[h1 * g + w1] * (dh * dw).to(dtype)[:, None]
        return out

    def attention(self, attn, x, cos, sin):
        n = x.shape[0]
        qkv = attn.qkv(x).reshape(n, 3, attn.num_heads, -1).permute(1, 0, 2, 3)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [n, heads, head_dim]
        dtype = q.dtype
        qf, kf = q.float(), k.float()  # apply_rotary_pos_emb_vision works in float32
        c, s = cos[:, None, :], sin[:, None, :]
        q = (qf * c + rotate_half(qf) * s).to(dtype).transpose(0, 1)
        k = (kf * c + rotate_half(kf) * s).to(dtype).transpose(0, 1)
        v = v.transpose(0, 1)
        scores = torch.matmul(q, k.transpose(1, 2)) * attn.scaling
        probs = torch.softmax(scores.float(), dim=-1).to(dtype)
        out = torch.matmul(probs, v).transpose(0, 1).reshape(n, -1)
        return attn.proj(out)

    def forward(self, pixel_values, image_grid_thw):
        dtype = self.patch_w.dtype
        x = torch.matmul(pixel_values.to(dtype), self.patch_w) + self.patch_b
        row, col, h, w = self.positions(x.shape[0], image_grid_thw)
        x = x + self.pos_embed(row, col, h, w, dtype)
        inv = self.visual.rotary_pos_emb.inv_freq.float()
        rot = torch.cat([row.float()[:, None] * inv[None, :], col.float()[:, None] * inv[None, :]], dim=-1)
        emb = torch.cat([rot, rot], dim=-1)
        cos, sin = emb.cos(), emb.sin()
        deepstack = []
        for i, blk in enumerate(self.visual.blocks):
            x = x + self.attention(blk.attn, blk.norm1(x), cos, sin)
            x = x + blk.mlp(blk.norm2(x))
            if i in self.deepstack_indexes:
                deepstack.append(self.visual.deepstack_merger_list[self.deepstack_indexes.index(i)](x))
        main = self.visual.merger(x)
        return torch.cat([main] + deepstack, dim=-1).float()


class EmbedTokens(nn.Module):
    """Token embedding, widened with zeros where image rows carry DeepStack features."""

    def __init__(self, embed, extra_width):
        super().__init__()
        self.embed = embed
        self.extra_width = int(extra_width)

    def forward(self, input_ids):
        e = self.embed(input_ids).float()
        return F.pad(e, (0, self.extra_width)) if self.extra_width else e


class Decoder(nn.Module):
    """Qwen3VLTextModel + lm_head with an explicit KV cache; logits for the last position only."""

    def __init__(self, model):
        super().__init__()
        lm = model.model.language_model
        cfg = lm.config
        self.layers, self.norm, self.lm_head = lm.layers, lm.norm, model.lm_head
        self.hidden = int(cfg.hidden_size)
        self.deepstack = deepstack_count(model.config)
        self.head_dim = int(getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads)
        self.kv_heads = int(cfg.num_key_value_heads)
        self.groups = int(cfg.num_attention_heads) // self.kv_heads
        rot = lm.rotary_emb
        self.attention_scaling = float(getattr(rot, "attention_scaling", 1.0))
        self.register_buffer("inv_freq", rot.inv_freq.detach().float().clone(), persistent=False)
        # Interleaved MRoPE (apply_interleaved_mrope) as a fixed 0/1 selector over the three
        # position rows: channel j takes T unless j = 1 mod 3 (H) or 2 mod 3 (W) within the
        # H/W sections. Same numbers as the in-place slice writes, but plain Mul/ReduceSum in ONNX.
        section = list(getattr(rot, "mrope_section", None) or cfg.rope_scaling["mrope_section"])
        half = self.inv_freq.shape[0]
        sel = torch.zeros(3, half, device=self.inv_freq.device)
        sel[0] = 1.0
        for dim, offset in ((1, 1), (2, 2)):
            idx = list(range(offset, section[dim] * 3, 3))
            sel[0, idx] = 0.0
            sel[dim, idx] = 1.0
        self.register_buffer("mrope_select", sel, persistent=False)

    def rope(self, position_ids, dtype):
        freqs = position_ids.float()[..., None] * self.inv_freq  # [3, b, s, half]
        freqs = (freqs * self.mrope_select[:, None, None, :]).sum(0)
        emb = torch.cat([freqs, freqs], dim=-1)
        return (emb.cos() * self.attention_scaling).to(dtype), (emb.sin() * self.attention_scaling).to(dtype)

    def attention(self, attn, x, cos, sin, mask, past_k, past_v):
        b, s = x.shape[0], x.shape[1]
        q = attn.q_norm(attn.q_proj(x).view(b, s, -1, self.head_dim)).transpose(1, 2)
        k = attn.k_norm(attn.k_proj(x).view(b, s, -1, self.head_dim)).transpose(1, 2)
        v = attn.v_proj(x).view(b, s, -1, self.head_dim).transpose(1, 2)
        c, sn = cos[:, None], sin[:, None]
        q = q * c + rotate_half(q) * sn
        k = k * c + rotate_half(k) * sn
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        t = k.shape[2]
        kr = k[:, :, None].expand(b, self.kv_heads, self.groups, t, self.head_dim).reshape(b, -1, t, self.head_dim)
        vr = v[:, :, None].expand(b, self.kv_heads, self.groups, t, self.head_dim).reshape(b, -1, t, self.head_dim)
        scores = torch.matmul(q, kr.transpose(2, 3)) * attn.scaling
        probs = torch.softmax(scores.float() + mask, dim=-1).to(q.dtype)
        out = torch.matmul(probs, vr).transpose(1, 2).reshape(b, s, -1)
        return attn.o_proj(out), k, v

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        dtype = self.norm.weight.dtype
        hsz = self.hidden
        h = inputs_embeds[..., :hsz].to(dtype)
        deepstack = [inputs_embeds[..., hsz * (i + 1) : hsz * (i + 2)].to(dtype) for i in range(self.deepstack)]
        cos, sin = self.rope(position_ids, dtype)
        s = inputs_embeds.shape[1]
        total = attention_mask.shape[1]
        q_pos = torch.arange(s, device=inputs_embeds.device) + (total - s)
        k_pos = torch.arange(total, device=inputs_embeds.device)
        allowed = (k_pos[None, :] <= q_pos[:, None])[None, None] & (attention_mask[:, None, None, :] > 0)
        mask = torch.where(allowed, 0.0, torch.finfo(torch.float32).min)
        presents = []
        for i, layer in enumerate(self.layers):
            a, k, v = self.attention(layer.self_attn, layer.input_layernorm(h), cos, sin, mask, past[2 * i], past[2 * i + 1])
            presents += [k, v]
            h = h + a
            h = h + layer.mlp(layer.post_attention_layernorm(h))
            if i < self.deepstack:
                h = h + deepstack[i]
        logits = self.lm_head(self.norm(h[:, -1:, :])).float()
        return (logits, *presents)
