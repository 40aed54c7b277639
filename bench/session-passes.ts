// Times the model's own passes in a bench: every onnxruntime session.run() of
// a loaded model is wrapped, and `onPass` gets each pass's session name and
// milliseconds (the engine's overhead is a query's wall time minus these).
// `hold` (optional) keeps the thread blocked after the real pass, for a bench
// that plays a model of a given speed on the tiny one.
import type { LoadedModel } from '../electron/engine/local/load-model';

type Session = { run: (...args: unknown[]) => Promise<unknown> };

export function timeModelPasses(loaded: LoadedModel, onPass: (session: string, ms: number) => void, hold?: (session: string) => void): void {
  for (const [name, session] of Object.entries(loaded.model.sessions) as [string, Session][]) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        hold?.(name);
        onPass(name, performance.now() - t);
      }
    };
  }
}
