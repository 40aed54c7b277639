"""Loads a Qwen3-VL checkpoint's processor, with or without torchvision.

transformers 5.x builds Qwen3VLProcessor with a video processor that requires torchvision,
and PyPI's torchvision does not import beside the CPU torch this project pins. Grounding
uses images only, so where AutoProcessor fails for that reason the same Qwen3VLProcessor
class is built without its video processor: HF's own chat template rendering, image-token
expansion and image processor (Qwen2VLImageProcessorPil without torchvision) all stay.
"""

import os


def load_processor(path, **kwargs):
    from transformers import AutoImageProcessor, AutoProcessor, AutoTokenizer, Qwen3VLProcessor

    try:
        return AutoProcessor.from_pretrained(path, **kwargs)
    except ImportError as err:
        if "torchvision" not in str(err).lower():
            raise

    class ImageOnlyQwen3VLProcessor(Qwen3VLProcessor):
        def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kw):
            super().__init__(image_processor, tokenizer, None, chat_template=chat_template, **kw)

    template = None
    local = os.path.join(path, "chat_template.jinja")
    if os.path.isfile(local):
        with open(local) as f:
            template = f.read()
    tokenizer = AutoTokenizer.from_pretrained(path, **kwargs)
    template = template or getattr(tokenizer, "chat_template", None)
    return ImageOnlyQwen3VLProcessor(AutoImageProcessor.from_pretrained(path, **kwargs), tokenizer, chat_template=template)
