// Handlers of presets.*: the named job filters kept in the cache.
import type { Handlers } from '#shared/contract';
import type { CoreContext } from './context';

type PresetsHandlers = Pick<Handlers, 'presets.list' | 'presets.save' | 'presets.delete'>;

export function presetsHandlers(ctx: CoreContext): PresetsHandlers {
  return {
    'presets.list': async () => ctx.session().cache.presets.list(),
    'presets.save': async ({ name, filter }) => {
      ctx.session().cache.presets.save(name, filter, new Date().toISOString());
      return ctx.session().cache.presets.list();
    },
    'presets.delete': async ({ name }) => {
      ctx.session().cache.presets.delete(name);
      return ctx.session().cache.presets.list();
    },
  };
}
