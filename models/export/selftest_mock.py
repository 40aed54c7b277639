"""A stand-in for transformers' Qwen3-VL model, and an independent reference forward.

Only torch is needed (no transformers), so the export graphs can be checked where transformers
4.57 is not installable. The modules carry the attribute names egm_onnx_graphs.py reads from the
real Qwen3VLForConditionalGeneration; the reference forward follows the HF algorithm step by step
(Conv3d patch embed, linspace bilinear position table, per-block rotary ids, interleaved MRoPE by
slice writes, DeepStack as a masked add, no KV cache) so that the wrappers' tensor-op rewrites
are checked against the straightforward form.
"""

from types import SimpleNamespace

import torch
import torch.nn.functional as F
from torch import nn

IMAGE, VSTART, VEND, EOS = 151655, 151652, 151653, 151645


class RMSNorm(nn.Module):
    def __init__(self, n, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(1 + 0.1 * torch.randn(n))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def mlp2(d_in, d_mid, d_out, act):
    m = nn.Module()
    m.linear_fc1, m.linear_fc2, m.act = nn.Linear(d_in, d_mid), nn.Linear(d_mid, d_out), act
    m.forward = lambda x: m.linear_fc2(m.act(m.linear_fc1(x)))
    return m


class Merger(nn.Module):
    def __init__(self, d, out, post):
        super().__init__()
        self.hidden, self.post = d * 4, post
        self.norm = nn.LayerNorm(self.hidden if post else d, eps=1e-6)
        self.linear_fc1, self.linear_fc2 = nn.Linear(self.hidden, self.hidden), nn.Linear(self.hidden, out)

    def forward(self, x):
        x = self.norm(x.view(-1, self.hidden) if self.post else x).view(-1, self.hidden)
        return self.linear_fc2(F.gelu(self.linear_fc1(x)))


def build(seed=0):
    torch.manual_seed(seed)
    vc = SimpleNamespace(spatial_merge_size=2, num_position_embeddings=64, deepstack_visual_indexes=[1, 2], in_channels=3, temporal_patch_size=2, patch_size=16, hidden_size=32, num_heads=2, out_hidden_size=64)
    tc = SimpleNamespace(hidden_size=64, head_dim=16, num_key_value_heads=2, num_attention_heads=4, vocab_size=151936, eos_token_id=EOS, rope_scaling={"mrope_section": [4, 2, 2]})
    visual = nn.Module()
    visual.config = vc
    visual.patch_embed = nn.Module()
    visual.patch_embed.proj = nn.Conv3d(3, 32, kernel_size=[2, 16, 16], stride=[2, 16, 16], bias=True)
    visual.pos_embed = nn.Embedding(64, 32)
    visual.rotary_pos_emb = nn.Module()
    visual.rotary_pos_emb.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, 8, 2).float() / 8)))
    visual.blocks = nn.ModuleList()
    for _ in range(4):
        b = nn.Module()
        b.norm1, b.norm2 = nn.LayerNorm(32, eps=1e-6), nn.LayerNorm(32, eps=1e-6)
        b.attn = nn.Module()
        b.attn.qkv, b.attn.proj, b.attn.num_heads, b.attn.scaling = nn.Linear(32, 96), nn.Linear(32, 32), 2, 16**-0.5
        b.mlp = mlp2(32, 64, 32, lambda x: F.gelu(x, approximate="tanh"))
        visual.blocks.append(b)
    visual.merger = Merger(32, 64, False)
    visual.deepstack_merger_list = nn.ModuleList([Merger(32, 64, True) for _ in range(2)])
    lm = nn.Module()
    lm.config = tc
    lm.embed_tokens = nn.Embedding(151936, 64)
    lm.layers = nn.ModuleList()
    for _ in range(4):
        layer = nn.Module()
        a = layer.self_attn = nn.Module()
        a.q_proj, a.k_proj, a.v_proj, a.o_proj = nn.Linear(64, 64, bias=False), nn.Linear(64, 32, bias=False), nn.Linear(64, 32, bias=False), nn.Linear(64, 64, bias=False)
        a.q_norm, a.k_norm, a.scaling = RMSNorm(16), RMSNorm(16), 16**-0.5
        m = layer.mlp = nn.Module()
        m.gate_proj, m.up_proj, m.down_proj = nn.Linear(64, 128, bias=False), nn.Linear(64, 128, bias=False), nn.Linear(128, 64, bias=False)
        m.forward = lambda x, m=m: m.down_proj(F.silu(m.gate_proj(x)) * m.up_proj(x))
        layer.input_layernorm, layer.post_attention_layernorm = RMSNorm(64), RMSNorm(64)
        lm.layers.append(layer)
    lm.norm = RMSNorm(64)
    lm.rotary_emb = nn.Module()
    lm.rotary_emb.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, 16, 2).float() / 16)))
    lm.rotary_emb.attention_scaling, lm.rotary_emb.mrope_section = 1.0, [4, 2, 2]
    model = nn.Module()
    model.model = nn.Module()
    model.model.visual, model.model.language_model = visual, lm
    model.lm_head = nn.Linear(64, 151936, bias=False)
    model.config = SimpleNamespace(vision_config=vc, text_config=tc, image_token_id=IMAGE, vision_start_token_id=VSTART)
    return model.eval()


def rotate_half(x):
    return torch.cat((-x[..., x.shape[-1] // 2 :], x[..., : x.shape[-1] // 2]), dim=-1)


@torch.no_grad()
def vision_reference(visual, pixel_values, grid):
    t, h, w = grid[0].tolist()
    m, g = 2, 8
    x = visual.patch_embed.proj(pixel_values.view(-1, 3, 2, 16, 16)).view(-1, 32)
    hi, wi = torch.linspace(0, g - 1, h), torch.linspace(0, g - 1, w)
    hf, wf = hi.int(), wi.int()
    hc, wc = (hf + 1).clip(max=g - 1), (wf + 1).clip(max=g - 1)
    dh, dw = hi - hf, wi - wf
    idx = [(a * g)[:, None] + b[None] for a, b in ((hf, wf), (hf, wc), (hc, wf), (hc, wc))]
    wts = [a[:, None] * b[None] for a, b in ((1 - dh, 1 - dw), (1 - dh, dw), (dh, 1 - dw), (dh, dw))]
    pe = sum(visual.pos_embed(i.flatten().long()) * wt.flatten()[:, None] for i, wt in zip(idx, wts))
    pe = pe.repeat(t, 1).view(t, h // m, m, w // m, m, -1).permute(0, 1, 3, 2, 4, 5).reshape(-1, 32)
    x = x + pe
    rows = (torch.arange(h // m)[:, None, None, None] * m + torch.arange(m)[None, None, :, None]).expand(h // m, w // m, m, m).reshape(-1)
    cols = (torch.arange(w // m)[None, :, None, None] * m + torch.arange(m)[None, None, None, :]).expand(h // m, w // m, m, m).reshape(-1)
    table = torch.outer(torch.arange(max(h, w)).float(), visual.rotary_pos_emb.inv_freq)
    rot = table[torch.stack([rows, cols], -1).repeat(t, 1)].flatten(1)
    emb = torch.cat([rot, rot], -1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    ds = []
    for i, b in enumerate(visual.blocks):
        y = b.norm1(x)
        q, k, v = b.attn.qkv(y).reshape(-1, 3, 2, 16).permute(1, 0, 2, 3).unbind(0)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        att = torch.softmax(torch.einsum("qhd,khd->hqk", q, k) * b.attn.scaling, -1)
        x = x + b.attn.proj(torch.einsum("hqk,khd->qhd", att, v).reshape(-1, 32))
        x = x + b.mlp(b.norm2(x))
        if i in (1, 2):
            ds.append(visual.deepstack_merger_list[(1, 2).index(i)](x))
    return visual.merger(x), ds


def rope_index(ids, grid):
    """HF get_rope_index for one sequence with at most one image."""
    pos, cur, i = [], 0, 0
    while i < len(ids):
        if ids[i] == IMAGE:
            gh, gw = grid[0, 1].item() // 2, grid[0, 2].item() // 2
            for r in range(gh):
                for c in range(gw):
                    pos.append((cur, cur + r, cur + c))
            cur += max(gh, gw)
            i += gh * gw
        else:
            pos.append((cur, cur, cur))
            cur += 1
            i += 1
    p = torch.tensor(pos).t()[:, None, :]
    return p, int(p.max()) + 1 - len(ids)


@torch.no_grad()
def text_reference(model, ids, image_embeds, deepstack, grid):
    lm = model.model.language_model
    x = lm.embed_tokens(torch.tensor([ids]))
    mask = torch.tensor([ids]) == IMAGE
    x[mask] = image_embeds
    pos, _ = rope_index(ids, grid)
    freqs = pos.float()[..., None] * lm.rotary_emb.inv_freq  # [3, 1, s, 8]
    ft = freqs[0].clone()
    for dim, off in ((1, 1), (2, 2)):
        sl = slice(off, lm.rotary_emb.mrope_section[dim] * 3, 3)
        ft[..., sl] = freqs[dim, ..., sl]
    emb = torch.cat([ft, ft], -1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    s = len(ids)
    causal = torch.full((s, s), float("-inf")).triu(1)
    for li, layer in enumerate(lm.layers):
        a = layer.self_attn
        y = layer.input_layernorm(x)
        q = a.q_norm(a.q_proj(y).view(1, s, 4, 16)).transpose(1, 2)
        k = a.k_norm(a.k_proj(y).view(1, s, 2, 16)).transpose(1, 2).repeat_interleave(2, 1)
        v = a.v_proj(y).view(1, s, 2, 16).transpose(1, 2).repeat_interleave(2, 1)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        att = torch.softmax(q @ k.transpose(2, 3) * a.scaling + causal, -1)
        x = x + a.o_proj((att @ v).transpose(1, 2).reshape(1, s, 64))
        x = x + layer.mlp(layer.post_attention_layernorm(x))
        if li < len(deepstack):
            x[mask] = x[mask] + deepstack[li]
    return model.lm_head(lm.norm(x))[0, -1]


def greedy_reference(model, ids, pixel_values, grid, steps):
    image_embeds, deepstack = vision_reference(model.model.visual, pixel_values, grid)
    ids, out, first = list(ids), [], None
    for _ in range(steps):
        logits = text_reference(model, ids, image_embeds, deepstack, grid)
        first = logits if first is None else first
        tok = int(logits.argmax())
        out.append(tok)
        if tok == EOS:
            break
        ids.append(tok)
    return first, out
