// Each team's labeling queues (names for the grid's queue column and filter): one list per team, failing
// alone like the others (a role that may not list queues, a server without them); disabled queues too,
// since archived jobs still point at them.
import { runList, type PullContext } from './context';

export async function pullQueues(ctx: PullContext, teamIds: readonly number[]): Promise<void> {
  for (const teamId of teamIds) {
    await runList(
      ctx,
      `queues:${teamId}`,
      () => ctx.api.queues.list(teamId, { showDisabled: true }, ctx.call),
      (queues) => {
        ctx.cache.queues.replaceForTeam(teamId, queues);
        return queues.length;
      },
    );
  }
}
