// Routes as data: which view, which job, which query. Pure, so tests can check it without runes.

export type ViewName = 'jobs' | 'job' | 'create' | 'team' | 'sync' | 'settings' | 'overview' | 'projects';

export interface Route {
  view: ViewName;
  /** the job id in "#/job/<id>" */
  id: number | null;
  /** everything after "?" (the jobs view keeps its filter here) */
  query: string;
}

const views: ViewName[] = ['jobs', 'job', 'create', 'team', 'sync', 'settings', 'overview', 'projects'];

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = text.split('?', 2);
  const [head, second] = path.split('/');
  const view = views.find((v) => v === head) ?? 'jobs';
  const id = view === 'job' && second !== undefined && /^-?\d+$/.test(second) ? Number(second) : null;
  if (view === 'job' && id === null) return { view: 'jobs', id: null, query: '' };
  return { view, id, query };
}

export function hrefOf(view: ViewName, id?: number | null, query?: string): string {
  return `#/${view}${id !== undefined && id !== null ? `/${id}` : ''}${query ? `?${query}` : ''}`;
}
