// Where the project browser is, as the query of "#/projects?…" (team, project, dataset, page of its images), and
// the link that opens the create form on one dataset ("#/create?team=…&workspace=…&project=…&dataset=…").
// Pure, so tests check it without runes; ids that are not positive whole numbers are ignored.

export interface BrowsePlace {
  teamId: number | null;
  projectId: number | null;
  datasetId: number | null;
  /** 1-based page of the dataset's images */
  page: number;
}

export interface CreatePreset {
  teamId: number;
  workspaceId: number;
  projectId: number;
  datasetId: number;
}

const positiveId = (text: string | null): number | null => (text !== null && /^[1-9]\d{0,15}$/.test(text) ? Number(text) : null);

export function parseBrowsePlace(query: string): BrowsePlace {
  const q = new URLSearchParams(query);
  const teamId = positiveId(q.get('team'));
  const projectId = positiveId(q.get('project'));
  // a dataset belongs to a project: without one it means nothing
  const datasetId = projectId === null ? null : positiveId(q.get('dataset'));
  const page = datasetId === null ? 1 : (positiveId(q.get('page')) ?? 1);
  return { teamId, projectId, datasetId, page };
}

export function browseQuery(place: Partial<BrowsePlace>): string {
  const q = new URLSearchParams();
  if (place.teamId != null) q.set('team', String(place.teamId));
  if (place.projectId != null) {
    q.set('project', String(place.projectId));
    if (place.datasetId != null) {
      q.set('dataset', String(place.datasetId));
      if (place.page !== undefined && place.page > 1) q.set('page', String(place.page));
    }
  }
  return q.toString();
}

export function createPresetQuery(p: CreatePreset): string {
  return new URLSearchParams({
    team: String(p.teamId),
    workspace: String(p.workspaceId),
    project: String(p.projectId),
    dataset: String(p.datasetId),
  }).toString();
}

/** The create form's preselection from its route query; null unless all four ids are there. */
export function parseCreatePreset(query: string): CreatePreset | null {
  const q = new URLSearchParams(query);
  const teamId = positiveId(q.get('team'));
  const workspaceId = positiveId(q.get('workspace'));
  const projectId = positiveId(q.get('project'));
  const datasetId = positiveId(q.get('dataset'));
  if (teamId === null || workspaceId === null || projectId === null || datasetId === null) return null;
  return { teamId, workspaceId, projectId, datasetId };
}

/** Pages of `total` images, `perPage` each (at least one page, so an empty dataset still has page 1). */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** A colour from the server, usable in a style attribute only when it is a plain hex colour. */
export function safeColor(color: string): string | null {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(color) ? color : null;
}

/**
 * Datasets in tree order: each nested dataset right under its parent, one level deeper; siblings keep their
 * order. A dataset whose parent is not in the list (or a loop) is shown at the top level.
 */
export function datasetTree<D extends { id: number; parentId: number | null }>(datasets: readonly D[]): (D & { depth: number })[] {
  const ids = new Set(datasets.map((d) => d.id));
  const children = new Map<number | null, D[]>();
  for (const d of datasets) {
    const parent = d.parentId !== null && ids.has(d.parentId) && d.parentId !== d.id ? d.parentId : null;
    const list = children.get(parent);
    if (list) list.push(d);
    else children.set(parent, [d]);
  }
  const out: (D & { depth: number })[] = [];
  const placed = new Set<number>();
  const place = (d: D, depth: number) => {
    if (placed.has(d.id)) return;
    placed.add(d.id);
    out.push({ ...d, depth });
    for (const child of children.get(d.id) ?? []) place(child, depth + 1);
  };
  for (const d of children.get(null) ?? []) place(d, 0);
  // datasets only reachable through a loop of parents
  for (const d of datasets) place(d, 0);
  return out;
}
