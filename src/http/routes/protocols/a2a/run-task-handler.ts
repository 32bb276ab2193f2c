import { Role, type AgentCard, type CancelTaskRequest, type GetTaskRequest, type Message, type SendMessageRequest, type StreamResponse, type SubscribeToTaskRequest, type Task } from '@a2a-js/sdk';
import { A2AError, RequestMalformedError, TaskNotCancelableError, TaskNotFoundError, UnsupportedOperationError, PushNotificationNotSupportedError } from '@a2a-js/sdk/errors';
import type { A2ARequestHandler, ServerCallContext } from '@a2a-js/sdk/server';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../../errors/app-error.ts';
import { toPublicError } from '../../../../errors/public-error.ts';
import { waitsForInput, type InputAnswer, type InputDecision, type PendingInput, type RunTarget } from '../../../../events/run-event.ts';
import type { RunRecord } from '../../../../events/run-record.ts';
import { createA2aTaskMapper, isTerminalTask, textPart, type A2aTaskMapper } from '../../../../protocols/a2a/a2a-task-mapper.ts';
import type { AppDeps } from '../../../app-deps.ts';
import type { StartRunRequest } from '../../../../runs/run-manager.ts';
import { followAsIterable } from './follow-as-iterable.ts';

/** How a task's starting message is remembered in its run's metadata, so GetTask can show its history. */
type TaskMetadata = { protocol: 'a2a'; messageId: string };

// Stored events are folded a page at a time.
const PAGE = 500;

const APPROVES = /^\s*(?:y|yes|ok|okay|approve|approved|sure|go ahead)\b/i;

/**
 * A2A's request handler over our runs: a task is a run (same id), a context is a session, and everything a
 * task says is folded from the run's stored events, so GetTask and SubscribeToTask work on any instance and
 * after a restart. The SDK's JsonRpcTransportHandler does the JSON-RPC framing around it.
 */
export class RunTaskHandler implements A2ARequestHandler {
  #deps: AppDeps;
  #target: RunTarget;
  #card: AgentCard;
  #signals: WeakMap<ServerCallContext, AbortSignal>;

  /** `signals` tells a streaming call when its client went away (the route owns the connection). */
  // Who calls: the tenant its tasks belong to (reads are scoped to it) and its per-key limits.
  #caller: Pick<StartRunRequest, 'tenant' | 'caller'>;
  #scope: string | undefined;

  constructor(options: { deps: AppDeps; target: RunTarget; card: AgentCard; signals: WeakMap<ServerCallContext, AbortSignal>; caller: Pick<StartRunRequest, 'tenant' | 'caller'>; scope: string | undefined }) {
    this.#deps = options.deps;
    this.#caller = options.caller;
    this.#scope = options.scope;
    this.#target = options.target;
    this.#card = options.card;
    this.#signals = options.signals;
  }

  async getAgentCard(): Promise<AgentCard> {
    return this.#card;
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new UnsupportedOperationError('This agent has no extended card.');
  }

  async sendMessage(params: SendMessageRequest): Promise<Message | Task> {
    const { run, mapper, afterSeq } = params.message?.taskId ? await this.#continue(params) : { ...(await this.#start(params)), afterSeq: 0 };
    if (params.configuration?.returnImmediately) return mapper.snapshot();
    for await (const event of followAsIterable(this.#deps.runs, run.id, afterSeq, new AbortController().signal, waitsForInput)) mapper.map(event);
    return mapper.snapshot();
  }

  async *sendMessageStream(params: SendMessageRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    let started: { run: RunRecord; mapper: A2aTaskMapper; afterSeq: number };
    if (params.message?.taskId) {
      started = await this.#continue(params);
      yield { payload: { $case: 'task', value: started.mapper.snapshot() } };
    } else {
      started = { ...(await this.#start(params)), afterSeq: 0 };
    }
    // A client that goes away leaves the task running: it can SubscribeToTask again, or CancelTask it.
    for await (const event of followAsIterable(this.#deps.runs, started.run.id, started.afterSeq, this.#signalOf(context), waitsForInput)) yield* started.mapper.map(event);
  }

  /**
   * A message naming an input-required task answers it: a data part `{decisions, answers}` exactly, or text — "yes"
   * (ok, approve…) approves every pending approval, anything else rejects them with the text as the reason, and the
   * text answers every pending question. The task then works on (the same run), folded from its store.
   */
  async #continue(params: SendMessageRequest): Promise<{ run: RunRecord; mapper: A2aTaskMapper; afterSeq: number }> {
    const message = params.message!;
    const run = await this.#run(message.taskId);
    if (run.status !== 'awaiting_input') {
      throw new UnsupportedOperationError(`Task ${run.id} is not waiting for input (${run.status}): a task here ends with its run. Send the message without taskId (same contextId) to continue the conversation.`);
    }
    const input = inputOfMessage(message, await this.#deps.runs.pending(run));
    await this.#deps.runs.input(run.id, input, this.#scope).catch((error: unknown) => {
      throw toA2aError(error);
    });
    const { mapper, lastSeq } = await this.#fold(await this.#run(run.id));
    return { run, mapper, afterSeq: lastSeq };
  }

  async getTask(params: GetTaskRequest): Promise<Task> {
    const run = await this.#run(params.id);
    const { mapper } = await this.#fold(run);
    return mapper.snapshot();
  }

  async cancelTask(params: CancelTaskRequest): Promise<Task> {
    const run = await this.#run(params.id);
    try {
      await this.#deps.runs.cancel(run.id, 'Cancelled through A2A CancelTask', this.#scope);
    } catch (error) {
      if (error instanceof AppError && error.code === 'run_not_active') throw new TaskNotCancelableError(`Task ${run.id} has already ended (${run.status}).`);
      throw error;
    }
    const { mapper } = await this.#fold(await this.#run(run.id));
    return mapper.snapshot();
  }

  /** The task as stored so far (the backfill), then its live events; an ended task cannot be subscribed to (the spec). */
  async *resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext): AsyncGenerator<StreamResponse, void, undefined> {
    const run = await this.#run(params.id);
    const { mapper, lastSeq } = await this.#fold(run);
    const task = mapper.snapshot();
    if (isTerminalTask(task)) throw new UnsupportedOperationError(`Task ${run.id} is in a terminal state and cannot be subscribed to.`);
    yield { payload: { $case: 'task', value: task } };
    for await (const event of followAsIterable(this.#deps.runs, run.id, lastSeq, this.#signalOf(context), waitsForInput)) yield* mapper.map(event);
  }

  async listTasks(): Promise<never> {
    throw new UnsupportedOperationError('ListTasks is not offered; GET /v1/runs lists runs.');
  }

  async createTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError('Push notifications are not supported; stream or poll GetTask.');
  }

  async getTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError('Push notifications are not supported.');
  }

  async listTaskPushNotificationConfigs(): Promise<never> {
    throw new PushNotificationNotSupportedError('Push notifications are not supported.');
  }

  async deleteTaskPushNotificationConfig(): Promise<never> {
    throw new PushNotificationNotSupportedError('Push notifications are not supported.');
  }

  #signalOf(context: ServerCallContext): AbortSignal {
    return this.#signals.get(context) ?? new AbortController().signal;
  }

  async #start(params: SendMessageRequest): Promise<{ run: RunRecord; mapper: A2aTaskMapper }> {
    const message = params.message;
    if (!message) throw new RequestMalformedError('params.message is required.');
    const text = message.parts.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value.trim()] : [])).filter((part) => part !== '').join('\n');
    if (text === '') throw new RequestMalformedError('The message has no text part.');
    const contextId = message.contextId.trim();
    if (contextId.length > 200) throw new RequestMalformedError('contextId is longer than 200 characters.');
    const messageId = message.messageId || randomUUID();
    const metadata: TaskMetadata = { protocol: 'a2a', messageId };
    const run = await this.#deps.runs.start({ ...this.#caller, target: this.#target, input: text, ...(contextId ? { sessionId: contextId } : {}), metadata }).catch((error: unknown) => {
      throw toA2aError(error);
    });
    const mapper = createA2aTaskMapper({ taskId: run.id, contextId: run.sessionId, userMessage: userMessageOf(run, messageId) });
    return { run, mapper };
  }

  async #run(taskId: string): Promise<RunRecord> {
    try {
      const run = await this.#deps.runs.get(taskId, this.#scope);
      if (run.target.kind !== this.#target.kind || run.target.id !== this.#target.id) throw new TaskNotFoundError(`Task ${taskId.slice(0, 80)} not found.`);
      return run;
    } catch (error) {
      if (error instanceof AppError && error.code === 'run_not_found') throw new TaskNotFoundError(`Task ${taskId.slice(0, 80)} not found.`);
      throw toA2aError(error);
    }
  }

  /** The task folded from the run's stored events, and the seq it was folded up to. */
  async #fold(run: RunRecord): Promise<{ mapper: A2aTaskMapper; lastSeq: number }> {
    const messageId = ((run.metadata ?? {}) as Partial<TaskMetadata>).messageId ?? `${run.id}-input`;
    const mapper = createA2aTaskMapper({ taskId: run.id, contextId: run.sessionId, userMessage: userMessageOf(run, messageId) });
    let lastSeq = 0;
    for (;;) {
      const page = await this.#deps.store.readEvents(run.id, { afterSeq: lastSeq, limit: PAGE });
      for (const event of page) mapper.map(event);
      if (page.length > 0) lastSeq = page.at(-1)!.seq;
      if (page.length < PAGE) break;
    }
    return { mapper, lastSeq };
  }
}

/** A message answering an input-required task, as the run's input (see `#continue`). */
function inputOfMessage(message: Message, pending: readonly PendingInput[]): { decisions: InputDecision[]; answers: InputAnswer[] } {
  for (const part of message.parts) {
    if (part.content?.$case !== 'data') continue;
    const data = part.content.value as { decisions?: InputDecision[]; answers?: InputAnswer[] };
    if (Array.isArray(data.decisions) || Array.isArray(data.answers)) return { decisions: data.decisions ?? [], answers: data.answers ?? [] };
  }
  const text = message.parts.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value.trim()] : [])).filter((part) => part !== '').join('\n');
  if (text === '') throw new RequestMalformedError('The message answering the task has no text part (or a data part with decisions or answers).');
  const approved = APPROVES.test(text);
  return {
    decisions: pending.filter((item) => item.kind === 'approval').map((item) => (approved ? { toolCallId: item.toolCallId, decision: 'approve' } : { toolCallId: item.toolCallId, decision: 'reject', reason: text })),
    answers: pending.filter((item) => item.kind === 'question').map((item) => ({ toolCallId: item.toolCallId, text })),
  };
}

function userMessageOf(run: RunRecord, messageId: string): Message {
  return { messageId, contextId: run.sessionId, taskId: run.id, role: Role.ROLE_USER, parts: [textPart(run.input)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

/**
 * Our errors in A2A's terms: invalid input is a malformed request, anything else keeps our code in the
 * error's metadata (`reason` stays the SDK's), and an unexpected error is masked as everywhere else.
 */
function toA2aError(error: unknown): unknown {
  if (error instanceof A2AError) return error;
  const shown = toPublicError(error);
  if (shown.code === 'validation_failed' || shown.code === 'bad_request') return new RequestMalformedError(shown.message);
  return new A2AError({ message: shown.message, metadata: { code: shown.code } });
}
