// Handlers of sync.*: start a sync now, cancel the running one, and the engine's state.
import type { Handlers } from '#shared/contract';
import type { CoreContext } from './context';

type SyncHandlers = Pick<Handlers, 'sync.now' | 'sync.cancel' | 'sync.state'>;

export function syncHandlers(ctx: CoreContext): SyncHandlers {
  return {
    'sync.now': async () => {
      void ctx.session().engine.syncNow();
      return { ok: true as const };
    },
    'sync.cancel': async () => ({ cancelled: ctx.session().engine.cancelPull() }),
    'sync.state': async () => ctx.session().engine.getState(),
  };
}
