// Handlers of sync.*: start a sync now, and the engine's state.
import type { Handlers } from '#shared/contract';
import type { CoreContext } from './context';

type SyncHandlers = Pick<Handlers, 'sync.now' | 'sync.state'>;

export function syncHandlers(ctx: CoreContext): SyncHandlers {
  return {
    'sync.now': async () => {
      void ctx.session().engine.syncNow();
      return { ok: true as const };
    },
    'sync.state': async () => ctx.session().engine.getState(),
  };
}
