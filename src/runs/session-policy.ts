export { DEFAULT_MULTITASK, MULTITASK_POLICIES, type MultitaskPolicy } from '../agents/multitask-policy.ts';
import { DEFAULT_MULTITASK, type MultitaskPolicy } from '../agents/multitask-policy.ts';
import { getAgent, getTeam, type Catalog } from '../agents/catalog.ts';
import type { RunEvent, RunTarget } from '../events/run-event.ts';
import type { RunRecord, SessionMessage, Store } from '../store/store.ts';
import type { RunEmitter } from './run-emitter.ts';
import type { RunExecutor } from './run-job.ts';

/** A message's double-texting policy: the request's, else its agent's or team's, else its route's, else `reject`. */
export function multitaskOf(catalog: Catalog, target: RunTarget, requested?: MultitaskPolicy, routeDefault?: MultitaskPolicy): MultitaskPolicy {
  const configured = target.kind === 'agent' ? getAgent(catalog, target.id).multitask : getTeam(catalog, target.id).multitask;
  return requested ?? configured ?? routeDefault ?? DEFAULT_MULTITASK;
}

/** How often an interrupt or rollback displaces the session's run and tries again before it answers `session_busy`. */
export const MAX_DISPLACEMENTS = 5;

// Events per store read when rebuilding a cut-off run's partial answer.
const PAGE = 256;

/**
 * The answer a run had streamed so far: the text of its top-level voice (the agent, or the team's orchestrator) in
 * order, as an interrupted run's partial output for the session's history. Pages through the stored events.
 */
export async function partialOutputOf(store: Store, runId: string): Promise<string> {
  let text = '';
  let afterSeq = 0;
  for (;;) {
    const page: RunEvent[] = await store.readEvents(runId, { afterSeq, limit: PAGE });
    for (const event of page) {
      if (event.type === 'message.delta' && event.agent.path.length === 0) text += event.delta;
    }
    if (page.length < PAGE) return text;
    afterSeq = page[page.length - 1].seq;
  }
}

/**
 * After `ended` ended: starts the run its session was handed to (an `enqueue` run that waited for it), if any. The
 * store made the hand-over in the end's transaction; this only submits the job. Should this process die in between,
 * the run is an ordinary queued run the reconciler (queue) or the next start (embedded) picks up.
 */
export async function startNextOfSession(store: Store, executor: RunExecutor, ended: Pick<RunRecord, 'id' | 'sessionId' | 'sessionSeq'>, tenant: string | undefined): Promise<void> {
  if (ended.sessionSeq === undefined) return;
  const later = await store.listSessionRuns(ended.sessionId, tenant, { fromSessionSeq: ended.sessionSeq + 1, limit: 50 });
  const next = later.find((run) => run.status === 'queued' && !run.sessionWaiting && run.attempt === 0);
  if (next) await executor.submit({ runId: next.id, attempt: 1 });
}

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** `startNextOfSession` for the paths that end a run: a failure is logged, not thrown (the reconciler starts the run). */
export async function startNextOfSessionOrLog(store: Store, executor: RunExecutor, ended: Pick<RunRecord, 'id' | 'sessionId' | 'sessionSeq'>, tenant: string | undefined, log: Log): Promise<void> {
  await startNextOfSession(store, executor, ended, tenant)
    .catch((error: unknown) => log('warn', 'starting the session\'s next run failed; the reconciler starts it', { runId: ended.id, error: String(error) }));
}

/** The turns an interrupted run leaves in its session: its message, and its answer so far when it had begun one. */
export async function interruptedTurns(store: Store, run: RunRecord, emitter?: RunEmitter): Promise<SessionMessage[]> {
  await emitter?.flush();
  const partial = await partialOutputOf(store, run.id);
  const ts = new Date().toISOString();
  return [{ role: 'user', content: run.input, runId: run.id, ts }, ...(partial ? [{ role: 'assistant' as const, content: partial, runId: run.id, ts }] : [])];
}
