import { AppError } from '../errors/app-error.ts';
import type { InputAnswer, InputDecision, PendingInput, RunEventOf } from '../events/run-event.ts';
import { systemAgentOf } from '../events/run-event.ts';
import type { RunRecord, Store } from '../store/store.ts';

/** What `POST /v1/runs/{id}/input` takes: decisions on pending approvals and answers to pending questions. */
export type RunInputRequest = { decisions?: readonly InputDecision[]; answers?: readonly InputAnswer[] };

/** The calls a paused run waits on: the newest event of a paused run (its pause, or the last partial answer) lists them. */
export async function pendingOf(store: Store, run: RunRecord): Promise<PendingInput[]> {
  const [last] = await store.readEvents(run.id, { afterSeq: run.lastSeq - 1, limit: 1 });
  return last?.type === 'run.awaiting_input' || last?.type === 'input.received' ? last.pending : [];
}

/**
 * Checks a person's input against what the run waits on and builds the `input.received` that records it. All or
 * nothing: a decision for a call that is not pending (or the wrong kind of input for it) refuses the whole request.
 */
export function inputEventFor(run: RunRecord, pending: readonly PendingInput[], request: RunInputRequest): RunEventOf<'input.received'> {
  const decisions = request.decisions ?? [];
  const answers = request.answers ?? [];
  if (decisions.length + answers.length === 0) {
    throw new AppError('validation_failed', { message: 'Give at least one decision or answer.', details: { fields: [{ field: 'decisions', message: 'empty' }] } });
  }
  const seen = new Set<string>();
  const match = (toolCallId: string, kind: PendingInput['kind']) => {
    if (seen.has(toolCallId)) throw new AppError('validation_failed', { message: `Tool call ${toolCallId} is decided twice in this request.`, details: { toolCallId } });
    seen.add(toolCallId);
    const item = pending.find((candidate) => candidate.toolCallId === toolCallId);
    if (!item || item.kind !== kind) {
      const what = kind === 'approval' ? 'an approval' : 'a question';
      throw new AppError('unknown_tool_call', {
        message: item ? `Tool call ${toolCallId} is ${item.kind === 'approval' ? 'an approval: send a decision' : 'a question: send an answer'}, not ${kind === 'approval' ? 'a decision' : 'an answer'}.` : `No pending call ${toolCallId} waits for ${what} on run ${run.id}.`,
        details: { toolCallId, pending: pending.map(({ toolCallId: id, toolName, kind: pendingKind }) => ({ toolCallId: id, toolName, kind: pendingKind })) },
      });
    }
    return item;
  };
  const decided = decisions.map((decision) => {
    const item = match(decision.toolCallId, 'approval');
    if (decision.decision === 'edit' && decision.args === undefined) {
      throw new AppError('validation_failed', { message: `An edit of ${decision.toolCallId} needs the new args.`, details: { toolCallId: decision.toolCallId } });
    }
    return { ...decision, path: item.agent.path };
  });
  const answered = answers.map((answer) => ({ ...answer, path: match(answer.toolCallId, 'question').agent.path }));
  return {
    type: 'input.received', decisions: decided, answers: answered, pending: pending.filter((item) => !seen.has(item.toolCallId)),
    agent: systemAgentOf(run.target), runId: run.id, seq: run.lastSeq + 1, ts: new Date().toISOString(),
  };
}

/** A run that is not paused takes no input: 409 with where it stands. */
export function notAwaitingInput(run: RunRecord): AppError {
  return new AppError('run_not_awaiting_input', { message: `Run ${run.id} is not waiting for input (${run.status}).`, details: { status: run.status } });
}
