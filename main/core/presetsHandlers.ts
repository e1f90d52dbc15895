// Handlers of presets.* and templates.*: the named job filters and the saved create forms kept in the cache.
import type { Handlers } from '#shared/contract';
import type { CoreContext } from './context';

type PresetsHandlers = Pick<
  Handlers,
  'presets.list' | 'presets.save' | 'presets.delete' | 'templates.list' | 'templates.save' | 'templates.delete'
>;

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
    'templates.list': async () => ctx.session().cache.templates.list(),
    'templates.save': async (template) => {
      ctx.session().cache.templates.save(template);
      return ctx.session().cache.templates.list();
    },
    'templates.delete': async ({ name }) => {
      ctx.session().cache.templates.delete(name);
      return ctx.session().cache.templates.list();
    },
  };
}
