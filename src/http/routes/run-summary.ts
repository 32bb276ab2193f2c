import type { RunRecord } from '../../store/store.ts';

/** The JSON answer of a finished run (`stream: false`, cancel). */
export function runSummary(run: RunRecord) {
  return {
    runId: run.id,
    sessionId: run.sessionId,
    status: run.status,
    output: run.output,
    usage: run.usage,
    ...(run.error ? { error: run.error } : {}),
  };
}
