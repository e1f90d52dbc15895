// Read-only queries of the project browser over the cached catalog: a team's projects with their datasets
// (counts from the dataset rows, never from listing images) and one page of a dataset's cached images.
// The catalog's writes stay in ./catalog; this module only reads.
import type { Db } from './db';

export interface BrowseDatasetRow {
  id: number;
  projectId: number;
  name: string;
  parentId: number | null;
  imagesCount: number | null;
}

export interface BrowseProjectRow {
  id: number;
  name: string;
  description: string;
  type: string;
  workspaceId: number;
  workspaceName: string;
  imagesCount: number | null;
}

export interface BrowseImageRow {
  id: number;
  name: string;
  width: number | null;
  height: number | null;
}

/** A server may send an id as a string; anything that is not a whole number is no parent. */
const idOrNull = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
};

export function createProjectBrowseRepo(db: Db) {
  const projectsOfTeam = db.prepare(
    `SELECT p.id, p.name, COALESCE(json_extract(p.info, '$.description'), '') AS description, p.type,
      p.workspace_id AS workspaceId, w.name AS workspaceName, p.images_count AS imagesCount
    FROM projects p JOIN workspaces w ON w.id = p.workspace_id WHERE w.team_id = ? ORDER BY w.name, w.id, p.name, p.id`,
  );
  const datasetsOfTeam = db.prepare(
    `SELECT d.id, d.project_id AS projectId, d.name, json_extract(d.info, '$.parentId') AS parentId, d.images_count AS imagesCount
    FROM datasets d JOIN projects p ON p.id = d.project_id JOIN workspaces w ON w.id = p.workspace_id
    WHERE w.team_id = ? ORDER BY d.name, d.id`,
  );
  const teamOfProject = db.prepare(
    `SELECT COALESCE(p.team_id, (SELECT w.team_id FROM workspaces w WHERE w.id = p.workspace_id)) FROM projects p WHERE p.id = ?`,
  );
  const sizesOf = db.prepare('SELECT id, width, height FROM images WHERE id IN (SELECT value FROM json_each(?))');
  const datasetKnown = db.prepare('SELECT 1 FROM datasets WHERE id = ?');

  return {
    projects(teamId: number): BrowseProjectRow[] {
      return projectsOfTeam.all(teamId) as BrowseProjectRow[];
    },
    /** every dataset of the team's projects, grouped by project id */
    datasetsByProject(teamId: number): Map<number, BrowseDatasetRow[]> {
      const out = new Map<number, BrowseDatasetRow[]>();
      for (const row of datasetsOfTeam.all(teamId) as BrowseDatasetRow[]) {
        const d = { ...row, parentId: idOrNull(row.parentId) };
        const list = out.get(d.projectId);
        if (list) list.push(d);
        else out.set(d.projectId, [d]);
      }
      return out;
    },
    /** the project's team (null when the project is not in the cache) */
    teamOf(projectId: number): number | null {
      return (teamOfProject.pluck().get(projectId) as number | null | undefined) ?? null;
    },
    datasetKnown(datasetId: number): boolean {
      return datasetKnown.get(datasetId) !== undefined;
    },
    /** width and height of cached images, by id */
    sizesOf(ids: readonly number[]): Map<number, { width: number | null; height: number | null }> {
      const rows = sizesOf.all(JSON.stringify(ids)) as BrowseImageRow[];
      return new Map(rows.map(({ id, width, height }) => [id, { width, height }]));
    },
  };
}

export type ProjectBrowseRepo = ReturnType<typeof createProjectBrowseRepo>;
