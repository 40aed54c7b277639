import { describe, expect, it } from 'vitest';
import { bundledModelCatalog, findEntry, parseCatalog, resolveDtype } from '../../electron/models/catalog';
import { defaultModelsDir, modelFolderName, userDataDir } from '../../electron/models/paths';

describe('bundled models/catalog.json', () => {
  const catalog = bundledModelCatalog();

  it('lists EGM-8B and EGM-4B as downloaded and built locally (q4f16 by default), from their hub repos', () => {
    for (const id of ['nvidia/EGM-8B', 'nvidia/EGM-4B']) {
      const e = findEntry(catalog, id);
      expect(e.status).toBe('build');
      expect(e.source).toEqual({ repo: id, revision: 'main' });
      expect(e.build!.dtypes).toEqual(['q4f16', 'fp16']);
      expect(resolveDtype(e)).toBe('q4f16');
      expect(resolveDtype(e, 'fp16')).toBe('fp16');
      expect(() => resolveDtype(e, 'q8')).toThrow(`${id}: no dtype 'q8' (available: q4f16, fp16)`);
      expect(e.approxSourceSize).toBeGreaterThan(8e9);
    }
  });

  it('lists the ready Qwen3-VL-2B ONNX repo with the transformers.js files for each dtype', () => {
    const e = findEntry(catalog, 'onnx-community/Qwen3-VL-2B-Instruct-ONNX');
    expect(e.status).toBe('ready');
    expect(resolveDtype(e)).toBe('q4f16');
    for (const dtype of ['q4f16', 'fp16']) {
      const paths = e.dtypes![dtype]!.files.map((f) => f.path);
      for (const p of ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']) expect(paths).toContain(p);
      for (const g of ['vision_encoder', 'embed_tokens', 'decoder_model_merged']) {
        expect(paths).toContain(`onnx/${g}_${dtype}.onnx`);
        expect(paths).toContain(`onnx/${g}_${dtype}.onnx_data`);
      }
    }
  });

  it('invents no hashes or exact sizes: every figure is marked approximate', () => {
    for (const m of catalog.models) {
      for (const d of Object.values(m.dtypes ?? {})) {
        for (const f of d.files) {
          expect(f.sha256, `${m.id} ${f.path}`).toBeUndefined();
          expect(f.size, `${m.id} ${f.path}`).toBeUndefined();
        }
      }
    }
  });
});

describe('parseCatalog', () => {
  const base = { id: 'a/b', name: 'b', status: 'ready', source: { repo: 'a/b', revision: 'main' }, license: 'x', egmTuned: false, description: 'd', dtypes: { fp16: { files: [{ path: 'config.json' }] } } };

  it('accepts a minimal entry', () => {
    expect(parseCatalog({ version: 1, models: [base] }).models[0]!.id).toBe('a/b');
  });

  it('names the bad field in one line', () => {
    expect(() => parseCatalog({ version: 1, models: [{ ...base, dtypes: { fp16: { files: [{ path: '../etc/passwd' }] } } }] }, 'cat.json')).toThrow(
      'cat.json: models.0.dtypes.fp16.files.0.path: must be a relative path without ".."',
    );
    expect(() => parseCatalog({ version: 1, models: [base, base] })).toThrow("catalog: models.1.id: duplicate id 'a/b'");
    expect(() => parseCatalog({ version: 1, models: [{ ...base, status: 'needs export' }] })).toThrow('catalog: models.0.exportCommand: needs an exportCommand');
    expect(() => parseCatalog({ version: 1, models: [{ ...base, defaultDtype: 'q4' }] })).toThrow("defaultDtype 'q4' is not in dtypes");
    const { dtypes: _, ...noFiles } = base;
    expect(() => parseCatalog({ version: 1, models: [{ ...noFiles, status: 'build' }] })).toThrow("catalog: models.0.build: status 'build' needs build (the dtypes to build)");
    expect(() => parseCatalog({ version: 1, models: [{ ...noFiles, status: 'build', build: { dtypes: ['q8'] } }] })).toThrow('catalog: models.0.build.dtypes.0:');
    expect(() => parseCatalog({ version: 1, models: [{ ...base, status: 'build', build: { dtypes: ['q4f16'] } }] })).toThrow('lists build.dtypes, not dtypes');
    expect(() => parseCatalog({ version: 1, models: [{ ...noFiles, status: 'build', source: { exportOf: 'x' }, build: { dtypes: ['q4f16'] } }] })).toThrow("status 'build' needs source.repo");
    expect(parseCatalog({ version: 1, models: [{ ...noFiles, status: 'build', build: { dtypes: ['q4f16'] } }] }).models[0]!.build).toEqual({ dtypes: ['q4f16'] });
  });

  it('resolves dtypes: asked, default, only one; unknown ones say what exists', () => {
    const e = parseCatalog({ version: 1, models: [base] }).models[0]!;
    expect(resolveDtype(e)).toBe('fp16');
    expect(() => resolveDtype(e, 'q4f16')).toThrow("a/b: no dtype 'q4f16' (available: fp16)");
    expect(() => findEntry(parseCatalog({ version: 1, models: [base] }), 'x/y')).toThrow("unknown model 'x/y' (known: a/b)");
  });
});

describe('models folder', () => {
  it('follows each platform, with EGM_MODELS_DIR winning', () => {
    expect(defaultModelsDir({ env: {}, platform: 'linux', home: '/home/u' })).toBe('/home/u/.local/share/egm-annotator/models');
    expect(defaultModelsDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home: '/home/u' })).toBe('/data/egm-annotator/models');
    expect(userDataDir({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', home: '/home/u' })).toBe('/home/u/.local/share/egm-annotator');
    expect(defaultModelsDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe('/Users/u/Library/Application Support/egm-annotator/models');
    expect(defaultModelsDir({ env: { APPDATA: 'C:/Users/u/AppData/Roaming' }, platform: 'win32', home: 'C:/Users/u' })).toMatch(/^C:\/Users\/u\/AppData\/Roaming[\\/]egm-annotator[\\/]models$/);
    expect(defaultModelsDir({ env: { EGM_MODELS_DIR: '/m' }, platform: 'linux', home: '/home/u' })).toBe('/m');
  });

  it('maps ids to one folder level', () => {
    expect(modelFolderName('onnx-community/Qwen3-VL-2B-Instruct-ONNX')).toBe('onnx-community--Qwen3-VL-2B-Instruct-ONNX');
    expect(() => modelFolderName('../x')).toThrow("model id '../x' must look like owner/name");
  });
});
