// The device list and the settings types live once (core/settings-schemas.ts):
// the IPC contract, the CLI and the model panel read the same list.
import { describe, expect, it } from 'vitest';
import { DEVICE_REQUESTS, modelSchema } from '@core/settings-schemas';
import { requestSchemas } from '@ipc/contract';
import { MODEL_USAGE } from '../../electron/cli/query-options';

describe('device list', () => {
  it('is the one the contract, the saved settings and the CLI usage accept', () => {
    for (const device of DEVICE_REQUESTS) {
      expect(requestSchemas['model:download'].safeParse({ id: 'm', device }).success).toBe(true);
      expect(modelSchema.safeParse({ backend: 'local', modelDir: '/m', device }).success).toBe(true);
    }
    expect(requestSchemas['model:download'].safeParse({ id: 'm', device: 'tpu' }).success).toBe(false);
    expect(modelSchema.safeParse({ backend: 'local', modelDir: '/m', device: 'tpu' }).success).toBe(false);
    expect(MODEL_USAGE).toContain(`--device ${DEVICE_REQUESTS.join('|')}`);
  });
});

describe('settings patch', () => {
  it('model:setSettings takes the settings patch schema: partial grounding, a model or null, a key', () => {
    const ok = requestSchemas['model:setSettings'].safeParse({ model: null, grounding: { samples: 4 }, apiKey: '' });
    expect(ok.success).toBe(true);
    expect(requestSchemas['model:setSettings'].safeParse({ grounding: { samples: 0 } }).success).toBe(false);
  });
});
