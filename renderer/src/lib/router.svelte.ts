// Hash routing: "#/jobs?filter…", "#/job/12", "#/create", … The hash survives reloads and works the
// same over the browser bridge and from file:// in Electron.

import { hrefOf, parseHash, type Route, type ViewName } from './routes';

export { hrefOf, parseHash, type Route, type ViewName };

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));
  /** the jobs view's filter as last seen, so leaving the list and coming back keeps it */
  lastJobsQuery = $state('');

  constructor() {
    if (typeof window === 'undefined') return;
    if (this.route.view === 'jobs') this.lastJobsQuery = this.route.query;
    window.addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
      if (this.route.view === 'jobs') this.lastJobsQuery = this.route.query;
    });
  }

  /** Link to the jobs list with the filter the lead last used. */
  jobsHref(): string {
    return hrefOf('jobs', null, this.lastJobsQuery);
  }

  go(view: ViewName, id?: number | null, query?: string): void {
    location.hash = hrefOf(view, id, query ?? (view === 'jobs' ? this.lastJobsQuery : undefined));
  }

  /** Updates the query of the current view without adding a history entry per keystroke. */
  replaceQuery(query: string): void {
    const href = hrefOf(this.route.view, this.route.id, query);
    if (location.hash === href) return;
    history.replaceState(history.state, '', `${location.pathname}${location.search}${href}`);
    this.route = { ...this.route, query };
    if (this.route.view === 'jobs') this.lastJobsQuery = query;
  }
}

export const router = new Router();
