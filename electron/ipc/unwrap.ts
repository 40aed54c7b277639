// The renderer's side of an IpcResult (contract.ts): the value, or an Error
// carrying main's one-line message, marked when the failure may pass
// (@core/errors markTransient) so the save queue keeps that edit for Retry
// and takes back any other. Shared by the preload and the renderer tests' API.
import { markTransient } from '@core/errors';
import type { IpcResult } from './contract';

export function unwrapResult(method: string, result: unknown): unknown {
  const answer = result as IpcResult<unknown> | undefined;
  if (!answer || typeof answer !== 'object' || typeof answer.ok !== 'boolean') {
    throw new Error(`${method}: malformed answer from the main process`);
  }
  if (!answer.ok) throw new Error(answer.transient ? markTransient(answer.error) : answer.error);
  return answer.value;
}
