import { assertNever, type RunEvent } from '../events/run-event.ts';

/**
 * A one-line description of a run step (an MCP progress notification's message, an A2A working status), or undefined when the event is not a step
 * worth a notification. Text deltas are counted once per message (its first delta), so a long answer costs
 * one notification, not one per token. https://modelcontextprotocol.io/specification/2025-06-18/basic/utilities/progress
 */
export function createStepDescriber(): (event: RunEvent) => string | undefined {
  const writing = new Set<string>();
  const who = (event: RunEvent) => event.agent.name;
  return (event) => {
    switch (event.type) {
      case 'run.started': return `started ${event.target.kind} ${event.target.id} (run ${event.runId})`;
      case 'agent.started': return `${who(event)} started${event.task ? `: ${event.task}` : ''}`;
      case 'tool.started': return `${who(event)} calls ${event.toolName}`;
      case 'tool.completed': return `${event.toolName} answered`;
      case 'tool.failed': return `${event.toolName} failed: ${event.error.message}`;
      case 'team.routed': return `routed to ${event.memberIds.join(', ')}`;
      case 'agent.completed': return `${who(event)} finished`;
      case 'progress': return event.message ?? `${event.percent}%`;
      case 'message.delta':
        if (writing.has(event.messageId)) return undefined;
        writing.add(event.messageId);
        return `${who(event)} is writing`;
      case 'reasoning.delta':
      case 'message.completed':
      case 'usage':
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
      case 'step.completed':
        return undefined; // the result (or the error) says these; a checkpoint says nothing new
      case 'run.resumed':
        return `Resumed (attempt ${event.attempt}): ${event.reason}`;
      case 'run.awaiting_input':
        return `Waiting for input: ${event.pending.map((item) => (item.kind === 'question' ? `question ${item.question ?? ''}` : `approve ${item.toolName}`)).join(', ')}`;
      case 'input.received':
        return `Input received (${event.decisions.length + event.answers.length})${event.pending.length ? `, ${event.pending.length} still waiting` : ''}`;
      default:
        return assertNever(event);
    }
  };
}
