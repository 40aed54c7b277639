// Checks a model folder before transformers.js touches it, so a bad folder
// fails with one line that names exactly what is wrong (which files are
// missing, which architecture it is) instead of a deep loader stack trace.
// Also picks the dtype (file suffix) of each ONNX session from what exists.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The sessions transformers.js opens for qwen3_vl (it treats it as Qwen2.5-VL). */
export const SESSIONS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type SessionName = (typeof SESSIONS)[number];
export const REQUIRED_JSON = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** transformers.js dtype → ONNX file suffix (utils/dtypes.js DEFAULT_DTYPE_SUFFIX_MAPPING). */
export const DTYPE_SUFFIX: Record<string, string> = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
  q2: '_q2',
  q2f16: '_q2f16',
  q1: '_q1',
  q1f16: '_q1f16',
  bnb4: '_bnb4',
};
/** Preference when the caller names no dtype: smallest that keeps accuracy first. */
const PREFERRED = ['q4f16', 'fp16', 'q8', 'q4', 'fp32', 'int8', 'uint8', 'bnb4'];

export type DtypeRequest = string | Partial<Record<SessionName, string>> | undefined;

export interface ModelFolder {
  dir: string;
  /** Folder name, used as the model's name in results. */
  name: string;
  config: Record<string, unknown>;
  dtype: Record<SessionName, string>;
  /**
   * External weight chunks per ONNX file name (`x.onnx_data`, `x.onnx_data_1`, ...):
   * exports over 2 GB keep weights beside the graph, and transformers.js loads
   * them only when told how many there are.
   */
  externalData: Record<string, number>;
}

export class ModelFolderProblem extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`model folder ${dir}: ${reason}`);
    this.name = 'ModelFolderProblem';
  }
}

export function onnxFile(dir: string, session: SessionName, dtype: string): string {
  return join(dir, 'onnx', `${session}${DTYPE_SUFFIX[dtype] ?? `_${dtype}`}.onnx`);
}

export function checkModelFolder(dir: string, requested?: DtypeRequest): ModelFolder {
  if (!existsSync(dir)) throw new ModelFolderProblem(dir, 'folder not found');
  const missingJson = REQUIRED_JSON.filter((f) => !existsSync(join(dir, f)));
  let config: Record<string, unknown> | null = null;
  if (!missingJson.includes('config.json')) {
    try {
      config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ModelFolderProblem(dir, `config.json is not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
    // Architecture first: a folder of another model is "wrong model", not "missing files".
    if (config.model_type !== 'qwen3_vl') {
      const arch = Array.isArray(config.architectures) ? ` (${String(config.architectures[0])})` : '';
      throw new ModelFolderProblem(
        dir,
        `model_type is '${String(config.model_type)}'${arch}, expected 'qwen3_vl' (an EGM / Qwen3-VL export)`,
      );
    }
  }
  const dtype = {} as Record<SessionName, string>;
  const missingOnnx: string[] = [];
  for (const session of SESSIONS) {
    const want = typeof requested === 'string' ? requested : requested?.[session];
    if (want) {
      if (!(want in DTYPE_SUFFIX)) throw new ModelFolderProblem(dir, `unknown dtype '${want}' for ${session} (one of ${Object.keys(DTYPE_SUFFIX).join(', ')})`);
      dtype[session] = want;
      if (!existsSync(onnxFile(dir, session, want))) missingOnnx.push(`onnx/${basename(onnxFile(dir, session, want))}`);
      continue;
    }
    const found = PREFERRED.find((d) => existsSync(onnxFile(dir, session, d)));
    if (found) dtype[session] = found;
    else missingOnnx.push(`onnx/${session}[_<dtype>].onnx`);
  }
  const missing = [...missingJson, ...missingOnnx];
  if (missing.length) throw new ModelFolderProblem(dir, `missing ${missing.join(', ')}`);
  const externalData: Record<string, number> = {};
  for (const session of SESSIONS) {
    const file = onnxFile(dir, session, dtype[session]);
    let chunks = 0;
    while (existsSync(`${file}_data${chunks === 0 ? '' : `_${chunks}`}`)) chunks++;
    if (chunks) externalData[basename(file)] = chunks;
  }
  return { dir, name: basename(dir), config: config ?? {}, dtype, externalData };
}
