// batch:* methods: one batch auto-label run at a time; progress goes out as
// 'batch:progress' events, results as proposals ('proposals:changed').
import type { IpcHandlers } from '../ipc/contract';
import type { ServiceRef } from './grounding';

type BatchHandlers = Pick<IpcHandlers, 'batch:start' | 'batch:cancel' | 'batch:resume' | 'batch:retryFailed' | 'batch:status'>;

export function batchHandlers(service: ServiceRef): BatchHandlers {
  return {
    'batch:start': async ({ phrases, imageIds, concurrency }) =>
      (await service()).startBatch({ phrases, imageIds, ...(concurrency ? { concurrency } : {}) }),
    'batch:cancel': async () => (await service()).cancelBatch(),
    'batch:resume': async () => (await service()).resumeBatch(),
    'batch:retryFailed': async () => (await service()).retryFailedBatch(),
    'batch:status': async () => (await service()).batchStatus(),
  };
}
