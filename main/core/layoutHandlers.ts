// Handlers of grid.*: the jobs grid's column layout (hidden columns, dragged widths), kept in the cache's
// kv table so it survives a reload in the desktop app and in browser mode alike.
import { ColumnLayoutSchema, type ColumnLayout, type Handlers } from '#shared/contract';
import type { CoreContext } from './context';

type LayoutHandlers = Pick<Handlers, 'grid.columns' | 'grid.saveColumns'>;

const KEY = 'grid_columns';
const DEFAULT_LAYOUT: ColumnLayout = { hidden: [], widths: {} };

export function layoutHandlers(ctx: CoreContext): LayoutHandlers {
  const read = (): ColumnLayout => {
    // a value an older or newer app wrote that no longer parses gives the default, not an error
    const parsed = ColumnLayoutSchema.safeParse(ctx.session().cache.kv.get<unknown>(KEY, DEFAULT_LAYOUT));
    return parsed.success ? parsed.data : DEFAULT_LAYOUT;
  };
  return {
    'grid.columns': async () => read(),
    'grid.saveColumns': async (layout) => {
      ctx.session().cache.kv.set(KEY, layout);
      return read();
    },
  };
}
