// How the save queue sees a failed store call (issue 16): main marks the
// failures that may pass (the write lock another process holds, the disk), and
// the edit is kept for Retry; every other failure is a refusal: trying again
// can never help, so the edit is taken back with the reason, in one line that
// names the field and the limit where a limit was passed.
import { isTransient } from '@core/errors';
import type { FailureView } from '@core/save-queue';
import { errorText } from '../egm';

/** Schema paths name the request's wrapper ("patch.phrase", "annotations.0.phrase"): the field is what the reader knows. */
const WRAPPER = /^(?:invalid request: )?(?:patch\.|proposal\.|negative\.|annotations\.\d+\.)?/;

export function saveFailure(err: unknown): FailureView {
  const text = errorText(err);
  return isTransient(err) ? { refused: false, reason: text } : { refused: true, reason: text.replace(WRAPPER, '') };
}
