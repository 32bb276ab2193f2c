import type { Interrupt, ResumeEntry } from '@ag-ui/core';
import { AppError } from '../../errors/app-error.ts';
import type { InputAnswer, InputDecision, JsonValue, PendingInput } from '../../events/run-event.ts';

// A paused run ends its AG-UI run with an interrupt outcome (https://docs.ag-ui.com: RUN_FINISHED `outcome.type:
// "interrupt"`); the client answers with a new run whose `resume` entries name the interrupts. An interrupt's id
// carries our run's id and the call's, so the answer finds the paused run whatever AG-UI run id the client picks.

const APPROVAL_SCHEMA = {
  type: 'object',
  properties: { approved: { type: 'boolean' }, editedArgs: { type: 'object' }, reason: { type: 'string' } },
  required: ['approved'],
};
const ANSWER_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

export function interruptIdOf(runId: string, toolCallId: string): string {
  return `${runId}:${toolCallId}`;
}

/** The AG-UI interrupt of one pending call; `subagentRunId` when a team member made it. */
export function toInterrupt(runId: string, item: PendingInput, expiresAt: string | null, subagentRunId?: string): Interrupt {
  return {
    id: interruptIdOf(runId, item.toolCallId),
    reason: item.kind === 'approval' ? 'tool_approval' : 'question',
    message: item.kind === 'approval' ? `Approve the call to ${item.toolName}?` : (item.question ?? 'The agent has a question.'),
    toolCallId: item.toolCallId,
    responseSchema: item.kind === 'approval' ? APPROVAL_SCHEMA : ANSWER_SCHEMA,
    ...(expiresAt ? { expiresAt } : {}),
    ...(subagentRunId === undefined ? {} : { subagentRunId }),
    metadata: { agentstream: { runId, toolName: item.toolName, args: item.args, kind: item.kind, path: item.agent.path } },
  };
}

/** The run a request's `resume` entries answer: all of them must name one paused run. */
export function runIdOfResume(entries: readonly ResumeEntry[]): string {
  const runIds = new Set(entries.map((entry) => splitInterruptId(entry.interruptId).runId));
  if (runIds.size !== 1) throw invalid('All resume entries must answer interrupts of one run.');
  return [...runIds][0];
}

/**
 * A request's `resume` entries as input for the paused run. An approval takes `{approved, editedArgs?, reason?}`
 * (`status: "cancelled"` rejects it); a question takes `{answer}` or a string (`cancelled`: the user declined).
 */
export function inputOfResume(entries: readonly ResumeEntry[], pending: readonly PendingInput[]): { decisions: InputDecision[]; answers: InputAnswer[] } {
  const decisions: InputDecision[] = [];
  const answers: InputAnswer[] = [];
  for (const entry of entries) {
    const { toolCallId } = splitInterruptId(entry.interruptId);
    const item = pending.find((candidate) => candidate.toolCallId === toolCallId);
    const payload = (entry.payload ?? {}) as Record<string, unknown> | string;
    if (item?.kind === 'question') {
      const text = entry.status === 'cancelled' ? '(The user declined to answer.)' : typeof payload === 'string' ? payload : typeof payload.answer === 'string' ? payload.answer : undefined;
      if (text === undefined) throw invalid(`The answer to ${entry.interruptId} needs payload.answer (a string).`);
      answers.push({ toolCallId, text });
      continue;
    }
    // Not pending (or an approval): a decision, which the run checks against what it waits on (422 if unknown).
    const fields = typeof payload === 'object' ? payload : {};
    const reason = typeof fields.reason === 'string' ? fields.reason : undefined;
    if (entry.status === 'cancelled' || fields.approved === false) {
      decisions.push({ toolCallId, decision: 'reject', ...(reason ? { reason } : {}) });
    } else if (fields.approved === true) {
      decisions.push(fields.editedArgs === undefined ? { toolCallId, decision: 'approve' } : { toolCallId, decision: 'edit', args: fields.editedArgs as JsonValue });
    } else {
      throw invalid(`The answer to ${entry.interruptId} needs payload.approved (true or false).`);
    }
  }
  return { decisions, answers };
}

function splitInterruptId(interruptId: string): { runId: string; toolCallId: string } {
  const colon = interruptId.indexOf(':');
  if (colon <= 0 || colon === interruptId.length - 1) throw invalid(`Interrupt id '${interruptId}' is not one of this server's (run id:tool call id).`);
  return { runId: interruptId.slice(0, colon), toolCallId: interruptId.slice(colon + 1) };
}

function invalid(message: string): AppError {
  return new AppError('validation_failed', { message, details: { fields: [{ field: 'resume', message }] } });
}
