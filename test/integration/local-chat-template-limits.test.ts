// A model folder's chat template is a program (Jinja) that came with a
// download: it renders under a time and a size limit and fails in one line
// (issue 16, security second round: `range(3000000)` ran 47 s at 800 MB).
// Real processor from the tiny model's files, its template replaced.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueryInputs } from '../../electron/engine/local/query-input';
import { tinyModelDir } from '../helpers/tiny-model';

let work: string;
let tiny: string;
beforeAll(async () => {
  tiny = await tinyModelDir();
  work = mkdtempSync(join(tmpdir(), 'egm-chat-template-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The tiny model with its chat template replaced (weights linked, not copied). */
function withTemplate(name: string, template: string): string {
  const dir = join(work, name);
  cpSync(tiny, dir, { recursive: true, filter: (src) => !src.endsWith('onnx') && !src.includes('/onnx/') });
  symlinkSync(join(tiny, 'onnx'), join(dir, 'onnx'));
  const config = JSON.parse(readFileSync(join(tiny, 'tokenizer_config.json'), 'utf8'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, chat_template: template }));
  return dir;
}

const QWEN_TAIL = "{%- for message in messages %}<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>{{ message.content[1].text }}<|im_end|>\n{%- endfor %}<|im_start|>assistant\n";

describe('chat template limits', () => {
  it('a template that loops for seconds is stopped and refused in one line', async () => {
    const dir = withTemplate('slow', `{%- for i in range(400000) %}{{ i }}{%- endfor %}${QWEN_TAIL}`);
    await expect(loadQueryInputs(dir)).rejects.toThrow(/^the model's chat template ran over 1000 ms for one message and was stopped \(a chat template takes about 1 ms\); the model folder's template is not usable$/);
  });

  it('a template that makes megabytes of text is refused in one line', async () => {
    const dir = withTemplate('big', `{%- set ns = namespace(s='ab') %}{%- for i in range(20) %}{%- set ns.s = ns.s + ns.s %}{%- endfor %}{{ ns.s }}${QWEN_TAIL}`);
    await expect(loadQueryInputs(dir)).rejects.toThrow(/^the model's chat template made \d+ characters for one message \(at most 262144\); the model folder's template is not usable$/);
  });

  it('the model\'s own template renders as before', async () => {
    const inputs = await loadQueryInputs(tiny);
    expect(inputs.vision.patchSize).toBeGreaterThan(0);
  });
});
