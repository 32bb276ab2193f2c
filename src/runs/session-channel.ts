import { DEFAULT_TENANT } from '../store/store.ts';

/**
 * The bus channel on which a session's new runs are announced (their `run.started`), beside each run's own channel:
 * how a session stream on any instance learns of a run another instance admitted. A wake-up only; the store says
 * what the runs are. The prefix cannot be a run id (those start `run_`), and the tenant keeps two tenants' sessions apart.
 */
export function sessionChannel(sessionId: string, tenant: string | undefined): string {
  return `session:${encodeURIComponent(tenant ?? DEFAULT_TENANT)}:${encodeURIComponent(sessionId)}`;
}
