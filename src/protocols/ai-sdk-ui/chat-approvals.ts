import type { InputAnswer, InputDecision } from '../../events/run-event.ts';

// useChat answers a paused run in its next request: an approval as a tool part in state `approval-responded`
// (`addToolApprovalResponse`), a question (`ask_user`) as a tool part with its output (`addToolOutput`). The
// approval id names our run and the call; the question's part carries the run in its provider metadata.

export function approvalIdOf(runId: string, toolCallId: string): string {
  return `${runId}:${toolCallId}`;
}

type Part = { type: string; toolCallId?: string; state?: string; output?: unknown; approval?: unknown; callProviderMetadata?: unknown };
type Message = { role: string; parts: Part[] };

/** What the chat's last (assistant) message answers of a paused run, if anything: the run and the input for it. */
export function chatAnswersOf(messages: readonly Message[]): { runId: string; decisions: InputDecision[]; answers: InputAnswer[] } | undefined {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') return undefined;
  let runId: string | undefined;
  const decisions: InputDecision[] = [];
  const answers: InputAnswer[] = [];
  for (const part of last.parts) {
    if (!part.toolCallId) continue;
    const approval = part.approval as { id?: unknown; approved?: unknown; reason?: unknown } | undefined;
    if (part.state === 'approval-responded' && typeof approval?.id === 'string' && typeof approval.approved === 'boolean') {
      const colon = approval.id.indexOf(':');
      if (colon <= 0) continue;
      runId ??= approval.id.slice(0, colon);
      const reason = typeof approval.reason === 'string' && approval.reason !== '' ? { reason: approval.reason } : {};
      decisions.push({ toolCallId: approval.id.slice(colon + 1), decision: approval.approved ? 'approve' : 'reject', ...reason });
      continue;
    }
    const ours = (part.callProviderMetadata as { agentstream?: { runId?: unknown; kind?: unknown } } | undefined)?.agentstream;
    if (part.state === 'output-available' && ours?.kind === 'question' && typeof ours.runId === 'string') {
      runId ??= ours.runId;
      answers.push({ toolCallId: part.toolCallId, text: answerText(part.output) });
    }
  }
  return runId && decisions.length + answers.length > 0 ? { runId, decisions, answers } : undefined;
}

function answerText(output: unknown): string {
  if (typeof output === 'string') return output;
  const answer = (output as { answer?: unknown } | null)?.answer;
  return typeof answer === 'string' ? answer : JSON.stringify(output ?? null);
}
