// Labeling queues in the cache: each team's list as last read from the server (replaced whole, so a
// queue gone from the server goes here too), read back for the grid's filter and the job page.
import type { QueueSummary } from '#shared/contract';
import type { LabelingQueueInfo } from '../supervisely/types';
import type { Db } from './db';

interface QueueRow {
  id: number;
  team_id: number;
  name: string;
  project_id: number | null;
  dataset_id: number | null;
  status: string | null;
  disabled: number;
}

const toSummary = (r: QueueRow): QueueSummary => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  projectId: r.project_id,
  datasetId: r.dataset_id,
  status: r.status,
  archived: r.disabled === 1,
});

/** `namesChanged`: a queue's name (as jobs' rows show it) changed, or a queue came or went */
export function createQueuesRepo(db: Db, namesChanged: () => void = () => {}) {
  const upsert = db.prepare(`INSERT INTO labeling_queues (id, team_id, name, project_id, dataset_id, status, disabled, created_at,
    finished_at, info) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET team_id = excluded.team_id,
    name = excluded.name, project_id = excluded.project_id, dataset_id = excluded.dataset_id, status = excluded.status,
    disabled = excluded.disabled, created_at = excluded.created_at, finished_at = excluded.finished_at, info = excluded.info`);
  const columns = 'id, team_id, name, project_id, dataset_id, status, disabled';
  return {
    /** One team's queues from the server; the team's queues missing from the list are dropped. */
    replaceForTeam(teamId: number, queues: readonly LabelingQueueInfo[]): void {
      const keep = new Set(queues.map((q) => q.id));
      const existing = db.prepare('SELECT id, name FROM labeling_queues WHERE team_id = ?').all(teamId) as { id: number; name: string }[];
      const del = db.prepare('DELETE FROM labeling_queues WHERE id = ?');
      for (const { id } of existing) if (!keep.has(id)) del.run(id);
      const named = new Map(existing.map((q) => [q.id, q.name]));
      const renamed = existing.length !== queues.length || queues.some((q) => named.get(q.id) !== q.name);
      for (const q of queues) {
        upsert.run(
          q.id,
          teamId,
          q.name,
          q.projectId,
          q.datasetId,
          q.status,
          q.disabled ? 1 : 0,
          q.createdAt,
          q.finishedAt,
          JSON.stringify(q),
        );
      }
      if (renamed) namesChanged();
    },
    /** A team's queues (every team's when none is given), by name. */
    list(teamId?: number): QueueSummary[] {
      const rows =
        teamId === undefined
          ? db.prepare(`SELECT ${columns} FROM labeling_queues ORDER BY name COLLATE NOCASE, id`).all()
          : db.prepare(`SELECT ${columns} FROM labeling_queues WHERE team_id = ? ORDER BY name COLLATE NOCASE, id`).all(teamId);
      return (rows as QueueRow[]).map(toSummary);
    },
    get(id: number): QueueSummary | null {
      const row = db.prepare(`SELECT ${columns} FROM labeling_queues WHERE id = ?`).get(id) as QueueRow | undefined;
      return row ? toSummary(row) : null;
    },
  };
}
