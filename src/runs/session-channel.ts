import { DEFAULT_TENANT } from '../store/store.ts';

/**
 * The bus channel on which a session's new runs are announced (their `run.started`), beside each run's own channel:
 * how a session stream on any instance learns of a run another instance admitted. A wake-up only; the store says
 * what the runs are. The prefix cannot be a run id (those start `run_`); the tenant's length keeps `(a:b, c)` and
 * `(a, b:c)` apart. Ids are the caller's own text, used as they are: no encoding that could throw on odd Unicode.
 */
export function sessionChannel(sessionId: string, tenant: string | undefined): string {
  const owner = tenant ?? DEFAULT_TENANT;
  return `session:${owner.length}:${owner}:${sessionId}`;
}
