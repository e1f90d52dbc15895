// The catalog in the cache: teams, workspaces, projects (+ meta), datasets, images and image
// thumbnails. Each `replace…` writes one server list for one parent, dropping rows that vanished.
// A dataset's images are fetched on demand: whole (sync_state "images:<datasetId>") or a page of them in id
// order ("images:<datasetId>:page:<n>", its cursor holding the page's first and last id), so a window of a huge
// dataset is read from the rows between those ids.
import type { DatasetInfo, ImageInfo, ProjectInfo, ProjectMeta, TeamInfo, WorkspaceInfo } from '../supervisely/types';
import type { Db } from './db';

const replaceChildren = (db: Db, table: string, parentColumn: string, parentId: number, keepIds: number[]) => {
  const existing = db.prepare(`SELECT id FROM ${table} WHERE ${parentColumn} = ?`).pluck().all(parentId) as number[];
  const keep = new Set(keepIds);
  const del = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  for (const id of existing) if (!keep.has(id)) del.run(id);
};

export function createCatalogRepo(db: Db) {
  return {
    replaceTeams(teams: readonly TeamInfo[]): void {
      const keep = new Set(teams.map((t) => t.id));
      for (const id of db.prepare('SELECT id FROM teams').pluck().all() as number[]) {
        if (!keep.has(id)) db.prepare('DELETE FROM teams WHERE id = ?').run(id);
      }
      const stmt = db.prepare(`INSERT INTO teams (id, name, description, role, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
        role = excluded.role, created_at = excluded.created_at, updated_at = excluded.updated_at`);
      for (const t of teams) stmt.run(t.id, t.name, t.description, t.role, t.createdAt, t.updatedAt);
    },
    replaceWorkspaces(teamId: number, list: readonly WorkspaceInfo[]): void {
      replaceChildren(
        db,
        'workspaces',
        'team_id',
        teamId,
        list.map((w) => w.id),
      );
      const stmt = db.prepare(`INSERT INTO workspaces (id, team_id, name, description, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET team_id = excluded.team_id, name = excluded.name,
        description = excluded.description, created_at = excluded.created_at, updated_at = excluded.updated_at`);
      for (const w of list) stmt.run(w.id, teamId, w.name, w.description, w.createdAt, w.updatedAt);
    },
    replaceProjects(workspaceId: number, list: readonly ProjectInfo[]): void {
      replaceChildren(
        db,
        'projects',
        'workspace_id',
        workspaceId,
        list.map((p) => p.id),
      );
      const stmt = db.prepare(`INSERT INTO projects (id, workspace_id, team_id, name, type, images_count, info)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET workspace_id = excluded.workspace_id,
        team_id = excluded.team_id, name = excluded.name, type = excluded.type, images_count = excluded.images_count,
        info = excluded.info`);
      for (const p of list) stmt.run(p.id, workspaceId, p.teamId, p.name, p.type, p.imagesCount, JSON.stringify(p));
    },
    setProjectMeta(projectId: number, meta: ProjectMeta): void {
      db.prepare('UPDATE projects SET meta = ? WHERE id = ?').run(JSON.stringify(meta), projectId);
    },
    replaceDatasets(projectId: number, list: readonly DatasetInfo[]): void {
      replaceChildren(
        db,
        'datasets',
        'project_id',
        projectId,
        list.map((d) => d.id),
      );
      const stmt = db.prepare(`INSERT INTO datasets (id, project_id, name, images_count, info) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET project_id = excluded.project_id, name = excluded.name,
        images_count = excluded.images_count, info = excluded.info`);
      for (const d of list) stmt.run(d.id, projectId, d.name, d.imagesCount, JSON.stringify(d));
    },
    replaceImages(datasetId: number, list: readonly ImageInfo[]): void {
      replaceChildren(
        db,
        'images',
        'dataset_id',
        datasetId,
        list.map((i) => i.id),
      );
      this.putImages(datasetId, list);
    },
    // The id-range reads below say `+dataset_id` so SQLite walks the id (rowid) range, not every row of the
    // dataset through the (dataset_id, name) index: a page of a 250,000-image dataset reads 250 rows, not all.
    /** one page of a dataset read from the server: its rows between its first and last id replace what was cached there */
    replaceImagesBetween(datasetId: number, firstId: number, lastId: number, list: readonly ImageInfo[]): void {
      const keep = new Set(list.map((i) => i.id));
      const cached = db
        .prepare('SELECT id FROM images WHERE +dataset_id = ? AND id BETWEEN ? AND ?')
        .pluck()
        .all(datasetId, firstId, lastId) as number[];
      const del = db.prepare('DELETE FROM images WHERE id = ?');
      for (const id of cached) if (!keep.has(id)) del.run(id);
      this.putImages(datasetId, list);
    },
    /** adds or updates images of a dataset, dropping none (one image read by id, for its preview) */
    putImages(datasetId: number, list: readonly ImageInfo[]): void {
      const stmt = db.prepare(`INSERT INTO images (id, dataset_id, name, width, height, tags, preview_url, info)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET dataset_id = excluded.dataset_id,
        name = excluded.name, width = excluded.width, height = excluded.height, tags = excluded.tags,
        preview_url = excluded.preview_url, info = excluded.info`);
      for (const i of list) {
        const tags = i.tags.map((t) => t.name).filter((n): n is string => !!n);
        stmt.run(i.id, datasetId, i.name, i.width, i.height, JSON.stringify(tags), i.fullStorageUrl ?? i.pathOriginal, JSON.stringify(i));
      }
    },

    teams(): { id: number; name: string; role: string | null }[] {
      return db.prepare('SELECT id, name, role FROM teams ORDER BY name, id').all() as { id: number; name: string; role: string | null }[];
    },
    teamIds(): number[] {
      return db.prepare('SELECT id FROM teams ORDER BY id').pluck().all() as number[];
    },
    workspaces(teamId: number): { id: number; name: string; teamId: number }[] {
      return db.prepare('SELECT id, name, team_id AS teamId FROM workspaces WHERE team_id = ? ORDER BY name, id').all(teamId) as {
        id: number;
        name: string;
        teamId: number;
      }[];
    },
    projects(workspaceId: number): { id: number; name: string; workspaceId: number; type: string; imagesCount: number | null }[] {
      return db
        .prepare(
          `SELECT id, name, workspace_id AS workspaceId, type, images_count AS imagesCount
        FROM projects WHERE workspace_id = ? ORDER BY name, id`,
        )
        .all(workspaceId) as never;
    },
    /** projects that cached jobs refer to, with their team (for the list key), optionally only those without meta */
    projectsReferencedByJobs(o: { withoutMetaOnly: boolean }): { projectId: number; teamId: number }[] {
      return db
        .prepare(
          `SELECT p.id AS projectId,
        COALESCE(p.team_id, (SELECT w.team_id FROM workspaces w WHERE w.id = p.workspace_id), 0) AS teamId FROM projects p
        WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.project_id = p.id) ${o.withoutMetaOnly ? 'AND p.meta IS NULL' : ''}
        ORDER BY p.id`,
        )
        .all() as { projectId: number; teamId: number }[];
    },
    /** the project's team and its `updatedAt` as the last projects.list sent it (the version its meta is read at) */
    projectVersion(projectId: number): { teamId: number; updatedAt: string | null } | null {
      return (
        (db
          .prepare(
            `SELECT COALESCE(p.team_id, (SELECT w.team_id FROM workspaces w WHERE w.id = p.workspace_id), 0) AS teamId,
          json_extract(p.info, '$.updatedAt') AS updatedAt FROM projects p WHERE p.id = ?`,
          )
          .get(projectId) as { teamId: number; updatedAt: string | null } | undefined) ?? null
      );
    },
    projectMeta(projectId: number): ProjectMeta | null {
      const raw = db.prepare('SELECT meta FROM projects WHERE id = ?').pluck().get(projectId) as string | null | undefined;
      return raw ? (JSON.parse(raw) as ProjectMeta) : null;
    },
    datasets(projectId: number): { id: number; name: string; projectId: number; imagesCount: number | null }[] {
      return db
        .prepare(
          `SELECT id, name, project_id AS projectId, images_count AS imagesCount
        FROM datasets WHERE project_id = ? ORDER BY name, id`,
        )
        .all(projectId) as never;
    },
    /** the dataset row's image count (sync reads counts, never the images themselves) */
    datasetImagesCount(datasetId: number): number | null {
      return (db.prepare('SELECT images_count FROM datasets WHERE id = ?').pluck().get(datasetId) as number | null | undefined) ?? null;
    },
    /** dataset → project → workspace → team, for creating a job offline */
    datasetContext(datasetId: number): {
      datasetName: string;
      projectId: number;
      projectName: string;
      projectType: string;
      workspaceId: number;
      workspaceName: string;
      teamId: number;
    } | null {
      return (
        (db
          .prepare(
            `SELECT d.name AS datasetName, p.id AS projectId, p.name AS projectName, p.type AS projectType,
          w.id AS workspaceId, w.name AS workspaceName, w.team_id AS teamId
        FROM datasets d JOIN projects p ON p.id = d.project_id JOIN workspaces w ON w.id = p.workspace_id
        WHERE d.id = ?`,
          )
          .get(datasetId) as never) ?? null
      );
    },
    /** in id order: the order of the server's images.list and of `meta.range` positions */
    images(
      datasetId: number,
    ): { id: number; name: string; datasetId: number; width: number | null; height: number | null; tags: string[] }[] {
      return (
        db
          .prepare(
            `SELECT id, name, dataset_id AS datasetId, width, height, tags FROM images
        WHERE dataset_id = ? ORDER BY id`,
          )
          .all(datasetId) as { id: number; name: string; datasetId: number; width: number | null; height: number | null; tags: string }[]
      ).map((i) => ({ ...i, tags: JSON.parse(i.tags) as string[] }));
    },
    /** cached images of a dataset with ids from `firstId` to `lastId`, in id order (one page read from the server) */
    imagesBetween(datasetId: number, firstId: number, lastId: number): { id: number; name: string; tags: string[] }[] {
      return (
        db
          .prepare('SELECT id, name, tags FROM images WHERE +dataset_id = ? AND id BETWEEN ? AND ? ORDER BY id')
          .all(datasetId, firstId, lastId) as { id: number; name: string; tags: string }[]
      ).map((i) => ({ ...i, tags: JSON.parse(i.tags) as string[] }));
    },
    /** cached images of a dataset with ids from `firstId` to `lastId` whose name contains `text` (any case), in id order */
    imagesNamed(
      datasetId: number,
      firstId: number,
      lastId: number,
      text: string,
      limit: number,
    ): { id: number; name: string; tags: string[]; rank: number }[] {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = db
        .prepare(
          `SELECT id, name, tags FROM images WHERE +dataset_id = ? AND id BETWEEN ? AND ? AND name LIKE ? ESCAPE '\\'
          ORDER BY id LIMIT ?`,
        )
        .all(datasetId, firstId, lastId, like, limit) as { id: number; name: string; tags: string }[];
      const rank = db.prepare('SELECT COUNT(*) FROM images WHERE +dataset_id = ? AND id BETWEEN ? AND ?').pluck();
      // rank: the row's 1-based place among the cached rows from firstId on (its place in the page read)
      return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as string[], rank: rank.get(datasetId, firstId, r.id) as number }));
    },
    /** cached images of a dataset by position in id order (when the whole list was read) */
    imagesAt(datasetId: number, offset: number, limit: number): { id: number; name: string; tags: string[] }[] {
      return (
        db.prepare('SELECT id, name, tags FROM images WHERE dataset_id = ? ORDER BY id LIMIT ? OFFSET ?').all(datasetId, limit, offset) as {
          id: number;
          name: string;
          tags: string;
        }[]
      ).map((i) => ({ ...i, tags: JSON.parse(i.tags) as string[] }));
    },
    imageIdsOf(datasetId: number): { id: number; name: string; tags: string[] }[] {
      return this.images(datasetId).map((i) => ({ id: i.id, name: i.name, tags: i.tags }));
    },
    imagePreviewUrl(imageId: number): string | null {
      return (db.prepare('SELECT preview_url FROM images WHERE id = ?').pluck().get(imageId) as string | null | undefined) ?? null;
    },
    thumbnail(imageId: number): { mime: string; data: Buffer } | null {
      return (
        (db.prepare('SELECT mime, data FROM thumbnails WHERE image_id = ?').get(imageId) as { mime: string; data: Buffer } | undefined) ??
        null
      );
    },
    saveThumbnail(imageId: number, mime: string, data: Buffer, at: string): void {
      db.prepare(
        `INSERT INTO thumbnails (image_id, mime, data, fetched_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(image_id) DO UPDATE SET mime = excluded.mime, data = excluded.data, fetched_at = excluded.fetched_at`,
      ).run(imageId, mime, data, at);
    },
  };
}

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
