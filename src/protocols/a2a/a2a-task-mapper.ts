import { Role, TaskState, type Artifact, type Message, type Part, type StreamResponse, type Task, type TaskStatus } from '@a2a-js/sdk';
import { isAnswerEvent } from '../../events/answer-events.ts';
import { assertNever, type PendingInput, type RunEvent } from '../../events/run-event.ts';
import { createStepDescriber } from '../describe-step.ts';

// A2A v1.0 (https://a2a-protocol.org/v1.0.0/specification/): a task is one of our runs, its context is the
// run's session. Types are the official SDK's, which its JSON-RPC transport serialises.

/** What every task of one run shares: ids and the user's message that started it. */
export type A2aTaskContext = { taskId: string; contextId: string; userMessage: Message };

/** Per-task state: call `map` once per run event in seq order; `snapshot` is the task so far. */
export type A2aTaskMapper = { map(event: RunEvent): StreamResponse[]; snapshot(): Task };

const TERMINAL_STATES = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);

/** True when a task has ended and will change no more. */
export function isTerminalTask(task: Task): boolean {
  return task.status !== undefined && TERMINAL_STATES.has(task.status.state);
}

/** A text part in the SDK's shape. */
export function textPart(text: string): Part {
  return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

/**
 * Maps a run's events to A2A stream responses: the task first (submitted), a working status per step
 * (a tool call, a routing decision, a member starting), the answer as artifact chunks (one artifact per
 * answer message, appended to as its text streams), and a final status: completed (its message is the
 * answer), failed (the error) or canceled.
 */
export function createA2aTaskMapper(context: A2aTaskContext): A2aTaskMapper {
  const describe = createStepDescriber();
  let status: TaskStatus = { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: undefined };
  const artifacts = new Map<string, Artifact>();
  const history: Message[] = [context.userMessage];

  const agentMessage = (id: string, text: string): Message => ({
    messageId: id, contextId: context.contextId, taskId: context.taskId, role: Role.ROLE_AGENT,
    parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [],
  });
  const snapshot = (): Task => ({
    id: context.taskId, contextId: context.contextId, status: structuredClone(status),
    artifacts: [...artifacts.values()].map((artifact) => structuredClone(artifact)), history: structuredClone(history), metadata: undefined,
  });
  const statusUpdate = (state: TaskState, timestamp: string, message?: Message): StreamResponse => {
    status = { state, message, timestamp };
    return { payload: { $case: 'statusUpdate', value: { taskId: context.taskId, contextId: context.contextId, status: structuredClone(status), metadata: undefined } } };
  };
  const artifactChunk = (messageId: string, text: string, lastChunk: boolean): StreamResponse => {
    const existing = artifacts.get(messageId);
    const artifact: Artifact = existing ?? { artifactId: messageId, name: 'answer', description: '', parts: [], metadata: undefined, extensions: [] };
    if (!existing) artifacts.set(messageId, artifact);
    const part = artifact.parts[0];
    if (text !== '') {
      if (part?.content?.$case === 'text') part.content.value += text;
      else artifact.parts.push(textPart(text));
    }
    return {
      payload: {
        $case: 'artifactUpdate',
        value: {
          taskId: context.taskId, contextId: context.contextId, append: existing !== undefined, lastChunk, metadata: undefined,
          artifact: { ...artifact, parts: text === '' ? [] : [textPart(text)] },
        },
      },
    };
  };

  /**
   * What the task asks for, as text a person reads (reply "yes"/"no" to approvals, the answer to a question) and
   * as a data part listing the pending calls, for a client that answers them one by one.
   */
  const inputRequest = (id: string, pending: readonly PendingInput[]): Message => {
    const lines = pending.map((item) => (item.kind === 'question' ? (item.question ?? 'The agent has a question.') : `Approve the call to ${item.toolName} with ${JSON.stringify(item.args)}? Reply yes or no.`));
    const message = agentMessage(id, lines.join('\n'));
    message.parts.push({
      content: { $case: 'data', value: { pending: pending.map(({ toolCallId, toolName, args, kind, question, agent }) => ({ toolCallId, toolName, args, kind, ...(question === undefined ? {} : { question }), path: agent.path })) } },
      metadata: undefined, filename: '', mediaType: 'application/json',
    });
    return message;
  };

  function map(event: RunEvent): StreamResponse[] {
    switch (event.type) {
      case 'run.started':
        status = { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: event.ts };
        return [{ payload: { $case: 'task', value: snapshot() } }, statusUpdate(TaskState.TASK_STATE_WORKING, event.ts)];
      case 'message.delta':
        if (!isAnswerEvent(event) || event.delta === '') return [];
        return [artifactChunk(event.messageId, event.delta, false)];
      case 'message.completed':
        if (!isAnswerEvent(event)) return [];
        if (artifacts.has(event.messageId)) return [artifactChunk(event.messageId, '', true)];
        return event.text === '' ? [] : [artifactChunk(event.messageId, event.text, true)];
      case 'run.completed': {
        const answer = agentMessage(`${context.taskId}-answer`, event.output);
        history.push(answer);
        return [statusUpdate(TaskState.TASK_STATE_COMPLETED, event.ts, answer)];
      }
      case 'run.failed':
        return [statusUpdate(TaskState.TASK_STATE_FAILED, event.ts, agentMessage(`${context.taskId}-error`, `${event.error.code}: ${event.error.message}`))];
      case 'run.cancelled':
        return [statusUpdate(TaskState.TASK_STATE_CANCELED, event.ts, agentMessage(`${context.taskId}-cancelled`, event.reason))];
      case 'agent.started':
      case 'tool.started':
      case 'tool.completed':
      case 'tool.failed':
      case 'team.routed':
      case 'agent.completed':
      case 'progress': {
        const step = describe(event);
        return step === undefined ? [] : [statusUpdate(TaskState.TASK_STATE_WORKING, event.ts, agentMessage(`${context.taskId}-step-${event.seq}`, step))];
      }
      case 'reasoning.delta':
      case 'usage':
        return []; // A2A has no place for thinking or token counts
      case 'step.completed':
      case 'run.resumed':
        return []; // a checkpoint, and a retraction A2A status messages cannot express (docs/protocols/a2a.md)
      case 'run.awaiting_input':
        return [statusUpdate(TaskState.TASK_STATE_INPUT_REQUIRED, event.ts, inputRequest(`${context.taskId}-input-${event.seq}`, event.pending))];
      case 'input.received':
        // Answered in part: the rest is still asked for; answered whole: the task works on.
        return event.pending.length > 0
          ? [statusUpdate(TaskState.TASK_STATE_INPUT_REQUIRED, event.ts, inputRequest(`${context.taskId}-input-${event.seq}`, event.pending))]
          : [statusUpdate(TaskState.TASK_STATE_WORKING, event.ts, agentMessage(`${context.taskId}-step-${event.seq}`, 'Input received; working on.'))];
      default:
        return assertNever(event);
    }
  }

  return { map, snapshot };
}
