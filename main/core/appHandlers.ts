// Handler of app.info: the app's version, its transport, and which server it is on as whom.
import type { Handlers } from '#shared/contract';
import type { CoreContext } from './context';

const APP_VERSION = '0.1.0';

export function appHandlers(ctx: CoreContext): Pick<Handlers, 'app.info'> {
  return {
    'app.info': async () => {
      const s = ctx.session();
      return {
        version: APP_VERSION,
        transport: ctx.transport,
        demo: s.demo,
        serverAddress: s.serverAddress,
        userLogin: s.cache.kv.get<{ login: string } | null>('me', null)?.login || null,
      };
    },
  };
}
