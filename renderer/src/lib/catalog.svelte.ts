// Reference data the filters and forms need (teams, members, projects, datasets), read once from
// the cache and shared across views. Reload after a sync or a team change.
import type { ResponseOf } from '#shared/contract';
import { api } from './transport';

export type Team = ResponseOf<'catalog.teams'>[number];
export type Member = ResponseOf<'users.members'>[number];
export type Project = ResponseOf<'catalog.projects'>[number];
export type Dataset = ResponseOf<'catalog.datasets'>[number];

class Catalog {
  teams = $state<Team[]>([]);
  teamId = $state<number | null>(null);
  members = $state<Member[]>([]);
  projects = $state<Project[]>([]);
  datasets = $state<Dataset[]>([]);
  loading = $state(false);
  error = $state<unknown>(null);
  private loaded = false;

  async ensure(): Promise<void> {
    if (this.loaded) return;
    await this.reload();
  }

  async reload(): Promise<void> {
    this.loading = true;
    try {
      this.teams = await api['catalog.teams']({});
      if (this.teamId === null || !this.teams.some((t) => t.id === this.teamId)) this.teamId = this.teams[0]?.id ?? null;
      await this.loadTeam();
      this.loaded = true;
      this.error = null;
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  async selectTeam(teamId: number): Promise<void> {
    this.teamId = teamId;
    await this.loadTeam();
  }

  private async loadTeam(): Promise<void> {
    const teamId = this.teamId;
    if (teamId === null) return;
    const [members, workspaces] = await Promise.all([api['users.members']({ teamId }), api['catalog.workspaces']({ teamId })]);
    const projects = (await Promise.all(workspaces.map((w) => api['catalog.projects']({ workspaceId: w.id })))).flat();
    const datasets = (await Promise.all(projects.map((p) => api['catalog.datasets']({ projectId: p.id })))).flat();
    if (teamId !== this.teamId) return;
    this.members = [...members].sort((a, b) => a.login.localeCompare(b.login));
    this.projects = projects;
    this.datasets = datasets;
  }
}

export const catalog = new Catalog();
