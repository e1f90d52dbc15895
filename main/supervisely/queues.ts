// api.labeling_queue of the SDK, the reading half: labeling-queues.list (all pages, the SDK's filters) and
// labeling-queues.info. A row without a team is the team that was listed.
import type { SuperviselyApi } from './api';
import { queueWire } from './schemas';
import { eq, infoOrNull, listAll, type FilterCondition, type ResourceContext } from './context';
import type { LabelingQueueInfo } from './types';

export interface QueueListFilter {
  projectId?: number;
  datasetId?: number;
  names?: string[];
  ids?: number[];
  showDisabled?: boolean;
}

/** labeling-queues.list filters in the SDK's order (projectId, datasetId, name in, id in). */
export function queueFilter(f: QueueListFilter = {}): FilterCondition[] {
  const out: FilterCondition[] = [];
  if (f.projectId !== undefined) out.push(eq('projectId', f.projectId));
  if (f.datasetId !== undefined) out.push(eq('datasetId', f.datasetId));
  if (f.names !== undefined) out.push({ field: 'name', operator: 'in', value: f.names });
  if (f.ids !== undefined) out.push({ field: 'id', operator: 'in', value: f.ids });
  return out;
}

export function createQueuesApi(ctx: ResourceContext): SuperviselyApi['queues'] {
  return {
    async list(teamId, filter, o) {
      const body = { teamId, showDisabled: filter?.showDisabled ?? false, filter: queueFilter(filter) };
      const rows = await listAll(ctx, 'labeling-queues.list', body, queueWire, o);
      return rows.map((q): LabelingQueueInfo => ({ ...q, teamId: q.teamId ?? teamId }));
    },
    async getInfoById(id, o) {
      const q = await infoOrNull(ctx, 'labeling-queues.info', { id }, queueWire, o);
      // a queue's team is not known without it: such an answer is treated as not visible
      return q && q.teamId !== null ? { ...q, teamId: q.teamId } : null;
    },
  };
}
