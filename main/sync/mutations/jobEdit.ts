// job.edit: a new annotator and/or reviewer for one job (jobs.editInfo, the SDK's set_assignees); shown
// at once, and the server's copy of the job replaces the row when it answers. Sending it twice is harmless.
import { z } from 'zod';
import { recordFromServer } from '../../cache';
import type { JobWire } from '../../supervisely/types';
import { jobName, remapJobId } from './jobTarget';
import { defineMutation, type Subject } from './spec';

const Id = z.number().int();

export const jobEdit = defineMutation({
  schema: z
    .object({ jobId: Id, userId: Id.optional(), reviewerId: Id.optional() })
    .refine((p) => p.userId !== undefined || p.reviewerId !== undefined, 'an annotator or a reviewer is needed'),
  creates: false,
  subjects: (p) => ({
    writes: [`job:${p.jobId}` as Subject],
    reads: [p.userId, p.reviewerId].filter((id) => id !== undefined).map((id) => `user:${id}` as Subject),
  }),
  remap(p, kind, localId, serverId) {
    if (kind === 'job') return remapJobId(p, kind, localId, serverId);
    if (p.userId !== localId && p.reviewerId !== localId) return null;
    const swap = (id: number | undefined) => (id === localId ? serverId : id);
    return { ...p, userId: swap(p.userId), reviewerId: swap(p.reviewerId) };
  },
  summary(cache, p) {
    const login = (id: number) => cache.users.login(id) ?? `user ${id}`;
    const parts = [
      ...(p.userId !== undefined ? [`annotator ${login(p.userId)}`] : []),
      ...(p.reviewerId !== undefined ? [`reviewer ${login(p.reviewerId)}`] : []),
    ];
    return `Edit "${jobName(cache, p.jobId)}": ${parts.join(', ')}`;
  },
  optimistic(cache, p) {
    const login = (id: number) => cache.users.login(id) ?? `user ${id}`;
    cache.jobs.patch(p.jobId, {
      ...(p.userId !== undefined ? { assigned_to_id: p.userId, assigned_to_login: login(p.userId) } : {}),
      ...(p.reviewerId !== undefined ? { reviewer_id: p.reviewerId, reviewer_login: login(p.reviewerId) } : {}),
    });
  },
  send: ({ api }, p) =>
    api.jobs.setAssignees(p.jobId, {
      ...(p.userId !== undefined ? { userId: p.userId } : {}),
      ...(p.reviewerId !== undefined ? { reviewerId: p.reviewerId } : {}),
    }),
  apply(cache, p, answer) {
    cache.jobs.upsert([recordFromServer(answer as JobWire)]);
    return { result: null, jobIds: [p.jobId], rowsReplaced: [p.jobId] };
  },
});
