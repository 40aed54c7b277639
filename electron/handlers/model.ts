// model:* methods: settings (the API key goes to the SecretStore, never to the
// settings file), status and a health check.
import type { IpcHandlers } from '@ipc/contract';
import type { ModelBackendSettings } from '@core/types';
import type { ServiceRef } from './grounding';

type ModelHandlers = Pick<IpcHandlers, 'model:getSettings' | 'model:setSettings' | 'model:status' | 'model:health'>;

export function modelHandlers(service: ServiceRef): ModelHandlers {
  return {
    'model:getSettings': async () => (await service()).getSettings(),
    'model:setSettings': async ({ model, grounding, apiKey, apiKeyEnv }) =>
      (await service()).setSettings({
        ...(model !== undefined ? { model: model as ModelBackendSettings | null } : {}),
        ...(grounding ? { grounding } : {}),
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(apiKeyEnv !== undefined ? { apiKeyEnv } : {}),
      }),
    'model:status': async () => (await service()).modelStatus(),
    'model:health': async () => (await service()).health(),
  };
}
