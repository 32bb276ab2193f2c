import { assertNever, type RunEvent } from '../../../src/events/run-event.ts';
import { truncate } from '../format.ts';

/** A one-line description of an event's payload for the event table. */
export function summarizeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'run.started': return `${event.target.kind} ${event.target.id} · “${truncate(event.input.text, 60)}” · model ${event.model}`;
    case 'agent.started': return event.task ? `task: ${truncate(event.task.split('\n')[0], 80)}` : '';
    case 'reasoning.delta': return JSON.stringify(event.delta);
    case 'message.delta': return JSON.stringify(event.delta);
    case 'message.completed': return `${event.text.length} chars: ${truncate(event.text.replace(/\s+/g, ' '), 80)}`;
    case 'tool.started': return `${event.toolName}(${truncate(JSON.stringify(event.args), 80)})`;
    case 'tool.completed': return `${event.toolName} → ${truncate(JSON.stringify(event.result), 70)} · ${event.durationMs} ms`;
    case 'tool.failed': return `${event.toolName} ✗ ${event.error.code}: ${event.error.message}`;
    case 'team.routed': return `[${event.mode}] → ${event.memberIds.join(', ')} · ${event.reason}`;
    case 'agent.completed': return event.error ? `error ${event.error.code}` : `${event.usage.totalTokens} tokens · ${truncate(event.output.replace(/\s+/g, ' '), 60)}`;
    case 'usage': return `step ${event.step}: ${event.usage.inputTokens} in / ${event.usage.outputTokens} out`;
    case 'step.completed': return `step ${event.step} checkpoint · ${event.toolCalls.length} tool call${event.toolCalls.length === 1 ? '' : 's'}`;
    case 'run.resumed': return `attempt ${event.attempt} · ${event.reason}${event.discardedMessageIds.length ? ` · dropped ${event.discardedMessageIds.length} partial message(s)` : ''}`;
    case 'run.awaiting_input': return `waiting for ${event.pending.map((item) => (item.kind === 'question' ? 'an answer' : `approval of ${item.toolName}`)).join(', ')}`;
    case 'input.received': return `${event.decisions.map((item) => `${item.decision} ${item.toolCallId}`).concat(event.answers.map((item) => `answered ${item.toolCallId}`)).join(', ')}${event.pending.length ? ` · ${event.pending.length} still waiting` : ''}`;
    case 'progress': return `${event.percent}%${event.message ? ` · ${event.message}` : ''}`;
    case 'run.completed': return `${event.usage.totalTokens} tokens · ${truncate(event.output.replace(/\s+/g, ' '), 60)}`;
    case 'run.failed': return `${event.error.code}: ${event.error.message}`;
    case 'run.cancelled': return event.reason;
    default: return assertNever(event);
  }
}
