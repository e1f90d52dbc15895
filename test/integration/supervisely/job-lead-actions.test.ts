// The lead's actions on one job through the client, against the local server over real HTTP:
// new assignees (jobs.editInfo, the SDK's set_assignees) and restart with the rejected images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastClient, startTestLocalServer, type TestServer } from './support';
import type { SuperviselyApi } from '../../../main/supervisely/api';
import { DefaultRole } from '../../../main/supervisely/types';

let server: TestServer;
let api: SuperviselyApi;
let labeler: number;

beforeAll(async () => {
  server = await startTestLocalServer();
  api = fastClient(server.localServer.url, server.localServer.adminToken);
  labeler = (await api.users.create({ login: 'lead_test_labeler', password: '11111abc', isRestricted: true })).id;
  await api.users.addToTeam(labeler, 8, DefaultRole.ANNOTATOR);
});
afterAll(() => server.close());

describe('set assignees', () => {
  it('changes the annotator and the reviewer and reads the job back', async () => {
    const [job] = await api.jobs.create({ name: 'reassign_me', datasetId: 10555, userIds: [7] });
    const info = await api.jobs.setAssignees(job!.id, { userId: labeler, reviewerId: labeler });
    expect(info).toMatchObject({ id: job!.id, assignedToId: labeler, reviewerId: labeler });
  });
  it("refuses a user outside the team with the server's reason", async () => {
    const [job] = await api.jobs.create({ name: 'reassign_outsider', datasetId: 10555, userIds: [7] });
    const outsider = (await api.users.create({ login: 'lead_test_outsider', password: '11111abc', isRestricted: true })).id;
    await expect(api.jobs.setAssignees(job!.id, { userId: outsider })).rejects.toMatchObject({ kind: 'validation' });
    expect(await api.jobs.getInfoById(job!.id)).toMatchObject({ assignedToId: 7 });
  });
});

describe('restart', () => {
  it('makes a job of the rejected images for the given annotator and completes the old one', async () => {
    const [job] = await api.jobs.create({ name: 'restart_me', datasetId: 10555, userIds: [7] });
    const [first, second] = job!.entities!;
    await api.jobs.setEntityReviewStatus(job!.id, first!.id, 'rejected');
    await api.jobs.setEntityReviewStatus(job!.id, second!.id, 'accepted');
    const made = await api.jobs.restart(job!.id, { userIds: [labeler], name: 'restart_me (redo)' });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ name: 'restart_me (redo)', assignedToId: labeler, imagesCount: 1, status: 'pending' });
    expect(made[0]!.entities!.map((e) => e.id)).toEqual([first!.id]);
    expect(await api.jobs.getStatus(job!.id)).toBe('completed');
  });
  it('a job with no rejected images has nothing to send back: [] and the job is unchanged', async () => {
    const [job] = await api.jobs.create({ name: 'nothing_rejected', datasetId: 10555, userIds: [7] });
    expect(await api.jobs.restart(job!.id, { userIds: [7] })).toEqual([]);
    expect(await api.jobs.getStatus(job!.id)).toBe('pending');
  });
});
