// api.team of the SDK: teams.list / teams.info (supervisely-api.md §5.1) and the activity feed teams.activity (§3.4.13).
import type { SuperviselyApi } from './api';
import { activityWire, teamWire } from './schemas';
import { eq, infoOrNull, listAll, type FilterCondition, type ResourceContext } from './context';
import type { ActivityInfo } from './types';

export interface ActivityFilter {
  jobId?: number;
  userId?: number;
  since?: string;
  until?: string;
  actions?: string[];
}

/** teams.activity filters in the SDK's order (userId, jobId, type in, date >=, date <=). */
export function activityFilter(f: ActivityFilter = {}): FilterCondition[] {
  const out: FilterCondition[] = [];
  if (f.userId !== undefined) out.push(eq('userId', f.userId));
  if (f.jobId !== undefined) out.push(eq('jobId', f.jobId));
  if (f.actions?.length) out.push({ field: 'type', operator: 'in', value: f.actions });
  if (f.since !== undefined) out.push({ field: 'date', operator: '>=', value: f.since });
  if (f.until !== undefined) out.push({ field: 'date', operator: '<=', value: f.until });
  return out;
}

/** All pages of teams.activity: no sort is added and a count mismatch is tolerated, as in the SDK. */
export function listActivity(
  ctx: ResourceContext,
  teamId: number,
  filter: ActivityFilter,
  o?: { signal?: AbortSignal },
): Promise<ActivityInfo[]> {
  return listAll(ctx, 'teams.activity', { teamId, filter: activityFilter(filter) }, activityWire, o, { addSort: false, checkTotal: false });
}

export function createTeamsApi(ctx: ResourceContext): SuperviselyApi['teams'] {
  return {
    list: (o) => listAll(ctx, 'teams.list', { filter: [] }, teamWire, o),
    getInfoById: (id, o) => infoOrNull(ctx, 'teams.info', { id }, teamWire, o),
    getActivity: (teamId, filter, o) => listActivity(ctx, teamId, filter ?? {}, o),
  };
}
