// Runs one call to main; a failure becomes the app's error banner (one line,
// naming what failed) instead of an unhandled rejection, and the caller gets
// undefined so it can leave the UI as it was.
import { errorText } from '../egm';
import { app } from './store';

export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    app.set({ error: `${what} failed: ${errorText(err)}` });
    return undefined;
  }
}
