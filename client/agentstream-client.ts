import { isTerminal, type InputAnswer, type InputDecision, type PendingInput, type RunEvent } from '../src/events/run-event.ts';
import { parseRunEvent } from '../src/events/run-event-schema.ts';
import type { AgentInfo, ModelList, RawFormat, RunFilter, RunPage, RunRecord, RunResult, SessionFilter, SessionPage, TeamInfo } from './api-types.ts';
import { readSse } from './read-sse.ts';

export type StartRunRequest = {
  agent?: string;
  team?: string;
  input: string;
  sessionId?: string;
  model?: string;
  onDisconnect?: 'continue' | 'cancel';
  timeoutMs?: number;
  /** Double-texting: what this message does while its session has a run still going (server default: the agent's, else `reject`). */
  multitask?: 'reject' | 'enqueue' | 'interrupt' | 'rollback';
};

export type StreamOptions = {
  onEvent: (event: RunEvent) => void;
  /** Told when the connection drops and when it is back. */
  onConnectionChange?: (state: 'connected' | 'reconnecting') => void;
  signal?: AbortSignal;
  /** Reconnect attempts after a drop before giving up (default 20). */
  maxReconnects?: number;
  /** Give up reconnecting once the stream has been down this long (ms, default 60 000): the error is a `StreamLostError`. */
  giveUpAfterMs?: number;
};

/** The stream of a run could not be resumed in time; `lastSeq` is the last event received, so a later `events(runId, { after })` can go on. */
export class StreamLostError extends Error {
  override name = 'StreamLostError';
  readonly runId: string;
  readonly lastSeq: number;
  constructor(runId: string, lastSeq: number, message: string) {
    super(message);
    this.runId = runId;
    this.lastSeq = lastSeq;
  }
}

/** A human-in-the-loop decision on a pending tool call. */
/** A decision on a pending approval: run the call, run it with other `args`, or refuse it (`reason` goes to the model). */
export type ToolDecision = InputDecision;
/** The answer to a pending question (`ask_user`). */
export type QuestionAnswer = InputAnswer;
/** What `POST /v1/runs/{id}/input` answers: `queued` once nothing is pending (the run goes on), else what still waits. */
export type RunInputResult = { runId: string; status: 'queued' | 'awaiting_input'; lastSeq: number; pending: PendingInput[] };

/** Options of the iterable streams: resume tuning, an AbortSignal, and whether aborting also cancels the run. */
export type IterateOptions = Omit<StreamOptions, 'onEvent' | 'signal'> & { signal?: AbortSignal; cancelOnAbort?: boolean };

export type ClientOptions = {
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <key>` on every request and stream; a function is read per request (a key the user can change). */
  apiKey?: string | (() => string | undefined);
  /** Told when the server answers 401 (no key, or a wrong one), e.g. to ask the user for a key. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
};

/** An error answer from the server: `{ error: { code, message } }`. */
export class AgentstreamError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'AgentstreamError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The small client for the native API: start a run and stream it, resume after a drop with
 * `Last-Event-ID`, follow any run, cancel. Every event arrives once, in seq order.
 */
export class AgentstreamClient {
  #baseUrl: string;
  #apiKey: () => string | undefined;
  #onUnauthorized?: () => void;
  #fetch: typeof fetch;

  constructor(options: ClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    const apiKey = options.apiKey;
    this.#apiKey = typeof apiKey === 'function' ? apiKey : () => apiKey;
    this.#onUnauthorized = options.onUnauthorized;
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
  }

  /** Runs: stream, run without streaming, start in the background, read, list, cancel, follow, raw frames, answer pending approvals. */
  readonly runs = {
    /**
     * Starts a run and yields its events as they happen (validated against the shared schema), resuming
     * transparently with Last-Event-ID after a drop. Aborting `signal` ends the iteration; with
     * `cancelOnAbort` it also cancels the run on the server.
     */
    stream: (request: StartRunRequest, options: IterateOptions = {}): AsyncIterable<RunEvent> =>
      this.#iterate((onEvent, signal) => this.streamRun(request, { ...options, onEvent, signal }), options),
    start: (request: StartRunRequest) => this.startInBackground(request),
    /** Starts a run without streaming (`stream: false`): one JSON answer once the run has ended, no SSE. */
    run: async (request: StartRunRequest, options: { signal?: AbortSignal } = {}): Promise<RunResult> =>
      (await this.#request('/v1/runs', { method: 'POST', body: JSON.stringify({ ...request, stream: false }), signal: options.signal })).json() as Promise<RunResult>,
    /**
     * The run's stream in one wire format, unparsed: the `Response` of `GET /v1/runs/{id}/events?format=`, whose
     * body is the bytes that format's client gets (the whole run, then live to its end), for inspecting them.
     */
    raw: (runId: string, options: { format?: RawFormat; signal?: AbortSignal } = {}): Promise<Response> =>
      this.#request(`/v1/runs/${encodeURIComponent(runId)}/events?format=${encodeURIComponent(options.format ?? 'native')}`, { method: 'GET', signal: options.signal, accept: 'text/event-stream' }),
    get: (runId: string) => this.getRun(runId),
    list: (filter: RunFilter = {}) => this.listRuns(filter),
    cancel: (runId: string) => this.cancel(runId),
    /** A run's events after seq `after` (default 0): what is stored, then live until its terminal event. */
    events: (runId: string, options: IterateOptions & { after?: number } = {}): AsyncIterable<RunEvent> =>
      this.#iterate((onEvent, signal) => this.followRun(runId, { ...options, afterSeq: options.after ?? 0, onEvent, signal }), { ...options, runId }),
    /** Human in the loop: decisions on pending approvals and answers to pending questions (`POST /v1/runs/{id}/input`). */
    input: async (runId: string, body: { decisions?: ToolDecision[]; answers?: QuestionAnswer[] }) =>
      (await this.#request(`/v1/runs/${encodeURIComponent(runId)}/input`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<RunInputResult>,
  };

  readonly agents = { list: async () => (await this.get<{ agents: AgentInfo[] }>('/v1/agents')).agents };
  readonly teams = { list: async () => (await this.get<{ teams: TeamInfo[] }>('/v1/teams')).teams };
  readonly sessions = {
    /** Sessions newest first, each with its title, run count and newest run; page on with `nextCursor`. */
    list: (filter: SessionFilter = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
      return this.get<SessionPage>(`/v1/sessions${query.size > 0 ? `?${query}` : ''}`);
    },
    get: (sessionId: string) => this.get<unknown>(`/v1/sessions/${encodeURIComponent(sessionId)}`),
    delete: async (sessionId: string) => {
      await this.#request(`/v1/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' });
    },
  };

  /** Turns the callback-style stream into an async iterable with a bounded buffer-free hand-off. */
  #iterate(run: (onEvent: (event: RunEvent) => void, signal: AbortSignal) => Promise<RunEvent>, options: IterateOptions & { runId?: string }): AsyncIterable<RunEvent> {
    const client = this;
    return {
      async *[Symbol.asyncIterator]() {
        const local = new AbortController();
        const onAbort = () => local.abort(options.signal?.reason);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const queue: RunEvent[] = [];
        let wake: (() => void) | undefined;
        let finished = false;
        let failure: unknown;
        let runId = options.runId;
        const done = run((event) => {
          runId = event.runId;
          queue.push(event);
          wake?.();
        }, local.signal).then(
          () => { finished = true; wake?.(); },
          (error) => { finished = true; failure = error; wake?.(); },
        );
        try {
          for (;;) {
            while (queue.length > 0) yield queue.shift() as RunEvent;
            if (finished) break;
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
          }
          await done;
          if (failure && !options.signal?.aborted) throw failure;
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          const stoppedEarly = !finished;
          local.abort();
          if (runId && options.cancelOnAbort && (options.signal?.aborted || stoppedEarly)) await client.cancel(runId).catch(() => undefined);
        }
      },
    };
  }

  /** Starts a run and streams it to the end, reconnecting from the last seq when the connection drops. Resolves with the terminal event. */
  async streamRun(request: StartRunRequest, options: StreamOptions): Promise<RunEvent> {
    const response = await this.#request('/v1/runs', { method: 'POST', body: JSON.stringify({ ...request, stream: true }), signal: options.signal, accept: 'text/event-stream' });
    const state = { runId: '', lastSeq: 0, terminal: undefined as RunEvent | undefined };
    await this.#consume(response, state, options).catch((error) => {
      if (!state.runId || options.signal?.aborted || (error instanceof AgentstreamError && error.code === 'invalid_event')) throw error;
    });
    if (state.terminal) return state.terminal;
    if (!state.runId) throw new AgentstreamError(0, 'stream_ended', 'The stream ended before the run started.');
    return this.#resume(state, options);
  }

  /** Follows a run from `afterSeq` (replay, then live) to its end, reconnecting after drops. */
  async followRun(runId: string, options: StreamOptions & { afterSeq?: number }): Promise<RunEvent> {
    const state = { runId, lastSeq: options.afterSeq ?? 0, terminal: undefined as RunEvent | undefined };
    return this.#resume(state, options, true);
  }

  async startInBackground(request: StartRunRequest): Promise<{ runId: string; sessionId: string }> {
    const response = await this.#request('/v1/runs', { method: 'POST', body: JSON.stringify({ ...request, background: true }) });
    return (await response.json()) as { runId: string; sessionId: string };
  }

  async cancel(runId: string): Promise<unknown> {
    return (await this.#request(`/v1/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' })).json();
  }

  /** One page of run history, newest first; pass `nextCursor` back as `cursor` for the next page. */
  async listRuns(filter: RunFilter = {}): Promise<RunPage> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
    const text = query.toString();
    return this.get<RunPage>(`/v1/runs${text ? `?${text}` : ''}`);
  }

  async getRun(runId: string): Promise<RunRecord> {
    return this.get<RunRecord>(`/v1/runs/${encodeURIComponent(runId)}`);
  }

  /** Every stored event of a run, read through its SSE replay (for a running run this waits for its end). */
  async getEvents(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunEvent[]> {
    const events: RunEvent[] = [];
    await this.followRun(runId, { onEvent: (event) => events.push(event), signal: options.signal });
    return events;
  }

  /** The catalogue: agents, teams and models that can run. */
  async getCatalog(): Promise<{ agents: AgentInfo[]; teams: TeamInfo[]; models: ModelList }> {
    const [agents, teams, models] = await Promise.all([
      this.get<{ agents: AgentInfo[] }>('/v1/agents'), this.get<{ teams: TeamInfo[] }>('/v1/teams'), this.get<ModelList>('/v1/models'),
    ]);
    return { agents: agents.agents, teams: teams.teams, models };
  }

  async get<T = unknown>(path: string): Promise<T> {
    return (await (await this.#request(path, { method: 'GET' })).json()) as T;
  }

  async #resume(state: { runId: string; lastSeq: number; terminal?: RunEvent }, options: StreamOptions, firstAttempt = false): Promise<RunEvent> {
    const maxReconnects = options.maxReconnects ?? 20;
    const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 60_000);
    for (let attempt = 0; attempt <= maxReconnects; attempt += 1) {
      if (!firstAttempt || attempt > 0) {
        if (Date.now() >= giveUpAt) break;
        options.onConnectionChange?.('reconnecting');
        await delay(Math.min(250 * 2 ** attempt, 4000), options.signal);
      }
      try {
        const response = await this.#request(`/v1/runs/${encodeURIComponent(state.runId)}/events`, {
          method: 'GET', signal: options.signal, accept: 'text/event-stream', lastEventId: String(state.lastSeq),
        });
        // 204: the run has ended and there is nothing after our seq (the terminal event was before it).
        if (response.status === 204) throw new AgentstreamError(204, 'nothing_left', `Run ${state.runId} has ended and has no events after seq ${state.lastSeq}.`);
        await this.#consume(response, state, options);
        if (state.terminal) return state.terminal;
      } catch (error) {
        if (error instanceof AgentstreamError && (error.status === 204 || error.code === 'invalid_event')) throw error;
        if (options.signal?.aborted) throw error;
        if (error instanceof AgentstreamError && error.status >= 400 && error.status < 500) throw error;
      }
    }
    throw new StreamLostError(state.runId, state.lastSeq, `Lost the stream of run ${state.runId} at seq ${state.lastSeq}: it could not be resumed within ${options.giveUpAfterMs ?? 60_000} ms / ${maxReconnects} reconnects.`);
  }

  async #consume(response: Response, state: { runId: string; lastSeq: number; terminal?: RunEvent }, options: StreamOptions): Promise<void> {
    options.onConnectionChange?.('connected');
    await readSse(response, (message) => {
      if (!message.event) return;
      // Validated, not cast: a frame the shared schema rejects is a protocol error, and retrying cannot fix it.
      let event: RunEvent;
      try {
        event = parseRunEvent(message.data);
      } catch (error) {
        const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
        const detail = issues ? issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || 'event'}: ${issue.message}`).join('; ') : (error as Error).message;
        throw new AgentstreamError(0, 'invalid_event', `Event ${message.id ?? '?'} does not match the run event schema: ${detail}`);
      }
      if (event.seq <= state.lastSeq) return;
      state.runId = event.runId;
      state.lastSeq = event.seq;
      options.onEvent(event);
      if (isTerminal(event)) state.terminal = event;
    });
  }

  async #request(path: string, init: { method: string; body?: string; signal?: AbortSignal; accept?: string; lastEventId?: string }): Promise<Response> {
    const key = this.#apiKey();
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), accept: init.accept ?? 'application/json' };
    if (init.body) headers['content-type'] = 'application/json';
    if (init.lastEventId) headers['last-event-id'] = init.lastEventId;
    const response = await this.#fetch(`${this.#baseUrl}${path}`, { method: init.method, body: init.body, headers, signal: init.signal });
    if (!response.ok) {
      if (response.status === 401) this.#onUnauthorized?.();
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new AgentstreamError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? `HTTP ${response.status}`);
    }
    return response;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
