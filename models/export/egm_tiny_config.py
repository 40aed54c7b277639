"""A tiny random-weight Qwen3-VL config, to exercise the export script without a download.

Same structure as EGM/Qwen3-VL (vision blocks with DeepStack mergers, MRoPE text decoder with
GQA, q/k norms), real special-token ids and the real vocabulary size (so token ids from the real
tokenizer stay valid), everything else shrunk. Written for transformers 4.57 (rope_scaling /
rope_theta; newer releases call these rope_parameters).
"""


def tiny_config():
    from transformers import Qwen3VLConfig

    text = dict(
        vocab_size=151936,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=2,  # 2 query heads per KV head, as the real models group them
        head_dim=16,
        hidden_act="silu",
        max_position_embeddings=4096,
        rms_norm_eps=1e-6,
        rope_theta=5_000_000.0,
        # head_dim/2 = 8 rotary channels split T/H/W 4/2/2, interleaved as in Qwen3-VL
        rope_scaling={"rope_type": "default", "mrope_section": [4, 2, 2], "mrope_interleaved": True},
        attention_bias=False,
        tie_word_embeddings=False,
        bos_token_id=151643,
        eos_token_id=151645,
    )
    vision = dict(
        depth=4,
        hidden_size=32,
        intermediate_size=64,
        num_heads=2,
        in_channels=3,
        patch_size=16,
        spatial_merge_size=2,
        temporal_patch_size=2,
        out_hidden_size=64,  # = text hidden_size
        num_position_embeddings=64,  # an 8x8 position table, interpolated to any grid
        deepstack_visual_indexes=[1, 2],
        hidden_act="gelu_pytorch_tanh",
    )
    return Qwen3VLConfig(
        text_config=text,
        vision_config=vision,
        image_token_id=151655,
        video_token_id=151656,
        vision_start_token_id=151652,
        vision_end_token_id=151653,
        tie_word_embeddings=False,
    )
