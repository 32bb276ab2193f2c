import { useCallback, useEffect, useRef, useState } from 'react';
import type { StartRunRequest } from '../../../client/agentstream-client.ts';
import { client } from '../api.ts';
import { useRunFolder, type RunFolder } from './use-run-folder.ts';

/** The state of the event stream itself, apart from the run's status. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A run being streamed: its folded view plus the connection's state and the actions on it. */
export type LiveRun = RunFolder & {
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

/** Starts or follows a run through the client (which resumes from Last-Event-ID after a drop), folding its events. */
export function useLiveRun(): LiveRun {
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

  const start = useCallback((request: StartRunRequest) => consume((controller) => client.streamRun(request, handlers(controller))), [consume]);
  const follow = useCallback((runId: string) => consume((controller) => client.followRun(runId, handlers(controller)), runId), [consume]);

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
  }, []);

  const detach = useCallback(() => {
    controllerRef.current?.abort();
    controllerRef.current = undefined;
  }, []);

  useEffect(() => () => controllerRef.current?.abort(), []);
  return { ...folder, connection, drops, error, isCancelling, start, follow, cancel, detach };
}
