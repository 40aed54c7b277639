// ground and ground:* methods, and the grounding service behind every issue-4 handler
// (model, proposals, batch). The service is created once per handler table:
// it loads the saved model settings (a local model starts loading in the
// model host at once), pushes its events to the renderer, and stops queries
// and pauses a running batch whenever the open project changes.
import type { IpcHandlers } from '@ipc/contract';
import { GroundingService } from '../grounding/service';
import { envSecretStore } from '../grounding/secrets';
import { oneLine } from '@core/errors';
import type { HandlerDeps } from './deps';
import type { ProjectSession } from './session';

/** The service promise handlers await (creation reads the settings file). */
export type ServiceRef = () => Promise<GroundingService>;

export function groundingService(deps: HandlerDeps, session: ProjectSession): ServiceRef {
  const created =
    deps.grounding !== undefined
      ? Promise.resolve(deps.grounding)
      : GroundingService.create({
          userDataDir: deps.userDataDir,
          // The app passes a safeStorage-backed store; plain Node (harness) reads EGM_API_KEY.
          secrets: deps.secrets ?? envSecretStore(process.env, 'EGM_API_KEY'),
          getStore: () => session.require(),
          // Main's log: a settings-file problem, or why a batch stopped (its status only says paused).
          log: (message) => console.error(`egm: ${message}`),
          ...(deps.spawnHost ? { spawn: deps.spawnHost } : {}),
          ...(deps.env ? { env: deps.env } : {}),
          events: {
            token: (event) => deps.emit('ground:token', event),
            modelStatus: (status) => deps.emit('model:status', status),
            batchProgress: (status) => deps.emit('batch:progress', status),
            proposalsChanged: (event) => deps.emit('proposals:changed', event),
          },
        });
  // Marked handled here; each handler awaiting it still sees the failure as its one-line error.
  created.catch(() => undefined);
  // A switch of project ends work bound to the old one; the batch stays resumable.
  session.onChange(() => {
    void created.then(
      (service) =>
        service.stopProjectWork().catch((err: unknown) => console.error(`egm: stopping the previous project's grounding work failed (${oneLine(err)})`)),
      () => undefined, // no service, nothing to stop (each handler reports why it did not start)
    );
  });
  return () => created;
}

type GroundHandlers = Pick<IpcHandlers, 'ground' | 'ground:cancel' | 'ground:prefetch'>;

export function groundHandlers(service: ServiceRef): GroundHandlers {
  return {
    ground: async ({ queryId, imageId, phrase, point }) => (await service()).queries.ground({ queryId, imageId, phrase, ...(point ? { point } : {}) }),
    'ground:cancel': async ({ queryId }) => ({ cancelled: (await service()).queries.cancel(queryId) }),
    // Answers at once: the decode runs in the model host, and its outcome only matters to the next query.
    'ground:prefetch': async ({ imageId }) => ({ started: (await service()).prefetch(imageId) }),
  };
}
