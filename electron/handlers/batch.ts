// batch:* methods: one batch auto-label run at a time; progress goes out as
// 'batch:progress' events, results as proposals ('proposals:changed').
import type { IpcHandlers } from '@ipc/contract';
import type { ServiceRef } from './grounding';

type BatchHandlers = Pick<IpcHandlers, 'batch:start' | 'batch:cancel' | 'batch:resume' | 'batch:retryFailed' | 'batch:status'>;

export function batchHandlers(service: ServiceRef): BatchHandlers {
  return {
    'batch:start': async ({ phrases, imageIds, concurrency }) =>
      (await service()).batches.start({ phrases, imageIds, ...(concurrency ? { concurrency } : {}) }),
    'batch:cancel': async () => (await service()).batches.cancel(),
    'batch:resume': async () => (await service()).batches.resume(),
    'batch:retryFailed': async () => (await service()).batches.retryFailed(),
    'batch:status': async () => (await service()).batches.status(),
  };
}
