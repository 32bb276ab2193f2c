import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunResult } from '../../../client/api-types.ts';
import type { StartRunRequest } from '../../../client/agentstream-client.ts';
import { client } from '../api.ts';

/** A run started without streaming: nothing arrives until it has ended, then its one JSON answer. */
export type RunResultState = { result?: RunResult; isWaiting: boolean; error?: string; start: (request: StartRunRequest) => Promise<RunResult | undefined>; reset: () => void };

/** `POST /v1/runs` with `stream: false` (the non-streaming mode of the Agno chat test app), through the UI's client. */
export function useRunResult(): RunResultState {
  const [result, setResult] = useState<RunResult>();
  const [isWaiting, setIsWaiting] = useState(false);
  const [error, setError] = useState<string>();
  const controllerRef = useRef<AbortController | undefined>(undefined);

  const start = useCallback(async (request: StartRunRequest) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setResult(undefined);
    setError(undefined);
    setIsWaiting(true);
    try {
      const answer = await client.runs.run(request, { signal: controller.signal });
      if (controller.signal.aborted) return undefined;
      setResult(answer);
      return answer;
    } catch (caught) {
      if (!controller.signal.aborted) setError((caught as Error).message);
      return undefined;
    } finally {
      if (!controller.signal.aborted) setIsWaiting(false);
    }
  }, []);

  // Forgets the answer; a run still being waited for goes on at the server (it shows in the run history).
  const reset = useCallback(() => {
    controllerRef.current?.abort();
    controllerRef.current = undefined;
    setResult(undefined);
    setError(undefined);
    setIsWaiting(false);
  }, []);

  useEffect(() => () => controllerRef.current?.abort(), []);
  return { result, isWaiting, error, start, reset };
}
