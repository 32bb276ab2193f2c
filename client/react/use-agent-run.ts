import { useCallback, useEffect, useRef, useState } from 'react';
import type { AgentstreamClient, StartRunRequest, ToolDecision } from '../agentstream-client.ts';
import type { LaneView, RunStatus, ToolCallView } from '../run-view.ts';
import type { JsonValue, PendingInput } from '../../src/events/run-event.ts';
import { laneKeyOf } from '../apply-event.ts';
import { useRunFolder, type RunFolder } from './use-run-folder.ts';

/** The state of the event stream itself, apart from the run's status. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A tool call waiting for a person (human in the loop): an approval, or a question (`ask_user`), with the lane of the agent that made it. */
export type PendingApproval = PendingInput & { laneKey: string };

/** A run being streamed: its folded view plus the connection's state and the actions on it. */
export type LiveRun = RunFolder & {
  status: RunStatus;
  /** The final answer as it streams. */
  transcript: string;
  /** The reasoning text of every lane, in order. */
  reasoning: string;
  /** Every tool call, running ones included, in start order. */
  toolCalls: ToolCallView[];
  /** One lane per agent (a single agent has one; a team one per member plus the orchestrator). */
  lanes: LaneView[];
  /** What the run waits on while paused (`status: 'awaiting_input'`); empty otherwise. */
  pendingApprovals: PendingApproval[];
  // The four below resolve once the server took the input (the run's stream then shows `input.received`)
  // and reject with its error (an `AgentstreamError`: code and message) when it refused it.
  approve: (toolCallId: string) => Promise<void>;
  /** Approves the call with other arguments. */
  edit: (toolCallId: string, args: JsonValue) => Promise<void>;
  reject: (toolCallId: string, reason?: string) => Promise<void>;
  /** Answers a pending question. */
  answer: (toolCallId: string, text: string) => Promise<void>;
  connection: ConnectionState;
  /** How many times the stream dropped and was resumed from the last seq. */
  drops: number;
  error?: string;
  isCancelling: boolean;
  start: (request: StartRunRequest) => Promise<void>;
  follow: (runId: string) => Promise<void>;
  cancel: () => Promise<void>;
  /** Stops listening (the run itself goes on at the server). */
  detach: () => void;
};

/**
 * The React hook of the client package: starts or follows a run through `client` (which resumes from
 * Last-Event-ID after a drop), folding its events into a view once per animation frame.
 */
export function useAgentRun(client: AgentstreamClient): LiveRun {
  const folder = useRunFolder();
  const [connection, setConnection] = useState<ConnectionState>('idle');
  const [drops, setDrops] = useState(0);
  const [error, setError] = useState<string>();
  const [isCancelling, setIsCancelling] = useState(false);
  const controllerRef = useRef<AbortController | undefined>(undefined);
  const runIdRef = useRef<string | undefined>(undefined);
  const connectionRef = useRef<ConnectionState>('idle');

  const changeConnection = useCallback((next: ConnectionState) => {
    if (next === 'reconnecting' && connectionRef.current !== 'reconnecting') setDrops((count) => count + 1);
    connectionRef.current = next;
    setConnection(next);
  }, []);

  const consume = useCallback(async (open: (controller: AbortController) => Promise<unknown>, runId?: string) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    runIdRef.current = runId;
    folder.reset();
    setError(undefined);
    setDrops(0);
    setIsCancelling(false);
    changeConnection('connecting');
    try {
      await open(controller);
      if (!controller.signal.aborted) changeConnection('closed');
    } catch (caught) {
      if (controller.signal.aborted) return;
      setError((caught as Error).message);
      changeConnection('closed');
    }
  }, [folder.reset, changeConnection]);

  const handlers = (controller: AbortController) => ({
    signal: controller.signal,
    onEvent: (event: Parameters<RunFolder['push']>[0]) => {
      runIdRef.current = event.runId;
      folder.push(event);
    },
    onConnectionChange: (state: 'connected' | 'reconnecting') => {
      if (!controller.signal.aborted) changeConnection(state);
    },
  });

  const start = useCallback((request: StartRunRequest) => consume((controller) => client.streamRun(request, handlers(controller))), [consume, client]);
  const follow = useCallback((runId: string) => consume((controller) => client.followRun(runId, handlers(controller)), runId), [consume, client]);

  // A refused decision (someone else answered first: 409, a bad edit: 422) rejects with the server's error, so
  // the caller shows it next to the item it was about; it says nothing about the stream, so `error` stays as is.
  const send = useCallback(async (body: { decisions?: ToolDecision[]; answers?: { toolCallId: string; text: string }[] }) => {
    const runId = runIdRef.current;
    if (!runId) throw new Error('There is no run to answer yet.');
    await client.runs.input(runId, body);
  }, [client]);
  const approve = useCallback((toolCallId: string) => send({ decisions: [{ toolCallId, decision: 'approve' }] }), [send]);
  const edit = useCallback((toolCallId: string, args: JsonValue) => send({ decisions: [{ toolCallId, decision: 'edit', args }] }), [send]);
  const reject = useCallback((toolCallId: string, reason?: string) => send({ decisions: [{ toolCallId, decision: 'reject', ...(reason ? { reason } : {}) }] }), [send]);
  const answer = useCallback((toolCallId: string, text: string) => send({ answers: [{ toolCallId, text }] }), [send]);

  const cancel = useCallback(async () => {
    const runId = runIdRef.current;
    if (!runId) return;
    setIsCancelling(true);
    try {
      await client.cancel(runId);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setIsCancelling(false);
    }
  }, [client]);

  const detach = useCallback(() => {
    controllerRef.current?.abort();
    controllerRef.current = undefined;
  }, []);

  useEffect(() => () => controllerRef.current?.abort(), []);
  const { view } = folder;
  const lanes = view.laneOrder.map((key) => view.lanes[key]);
  const reasoning = lanes.flatMap((lane) => lane.items.flatMap((item) => (item.kind === 'reasoning' ? [item.text] : []))).join('\n');
  const toolCalls = view.toolOrder.map((id) => view.tools[id]);
  const pendingApprovals: PendingApproval[] = view.pending.map((item) => ({ ...item, laneKey: laneKeyOf(item.agent.path) }));
  return {
    ...folder, status: view.status, transcript: view.answer, reasoning, toolCalls, lanes, pendingApprovals, approve, edit, reject, answer,
    connection, drops, error, isCancelling, start, follow, cancel, detach,
  };
}
