// The shard names a downloaded model.safetensors.index.json may make the
// downloader fetch and write: plain file names in the checkpoint folder only.
import { describe, expect, it } from 'vitest';
import { shardsOfIndex } from '../../electron/models/checkpoint-download';

const index = (weightMap: unknown) => JSON.stringify({ metadata: { total_size: 1 }, weight_map: weightMap });

describe('shardsOfIndex', () => {
  it('lists each shard once, in the order the index first names it', () => {
    const map = { a: 'model-00002-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' };
    expect(shardsOfIndex(index(map), 'i.json')).toEqual(['model-00002-of-00002.safetensors', 'model-00001-of-00002.safetensors']);
  });

  it('refuses names that leave the folder or are not shards, in one line', () => {
    for (const bad of ['../x.safetensors', 'sub/x.safetensors', '/etc/x.safetensors', '.hidden.safetensors', 'x.bin', 'x.safetensors\n']) {
      expect(() => shardsOfIndex(index({ a: bad }), 'i.json')).toThrow(`i.json: '${bad}' is not a shard file name`);
    }
    expect(() => shardsOfIndex(index({ a: 7 }), 'i.json')).toThrow("i.json: '7' is not a shard file name");
    expect(() => shardsOfIndex(index({}), 'i.json')).toThrow('i.json: weight_map is empty');
    expect(() => shardsOfIndex(JSON.stringify({ metadata: {} }), 'i.json')).toThrow('i.json: no weight_map');
    expect(() => shardsOfIndex('{', 'i.json')).toThrow(/^i\.json: not JSON \(/);
  });
});
