import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SseFrameCounter } from './sse-frame-counter.ts';

/**
 * One HTTP request of a scenario: POST `path` with a JSON body, on `host:port`. `{{n}}` in the body becomes a
 * number unique to the request (a new chat or thread id per run, as a client starting conversations sends).
 */
export type RequestRecipe = { path: string; body: string };

let requestNumber = 0;
function bodyOf(recipe: RequestRecipe): string {
  if (!recipe.body.includes('{{n}}')) return recipe.body;
  requestNumber += 1;
  return recipe.body.replaceAll('{{n}}', `${process.pid}-${requestNumber}`);
}

export type StreamOutcome = {
  ok: boolean;
  status: number;
  events: number;
  bytes: number;
  /** ms from sending the request to the first event frame (NaN when none came). */
  firstEventMs: number;
  /** ms from sending the request to the end of the response. */
  totalMs: number;
  error?: string;
};

export type StreamRequestOptions = {
  host: string;
  port: number;
  recipe: RequestRecipe;
  /** A keep-alive agent to reuse a connection, or false for a new connection that closes after the response. */
  agent: Agent | false;
  /** Called with the arrival time (ms, performance.now) of every chunk that completes event frames. */
  onEvents?: (count: number, atMs: number) => void;
  /** Disconnect (destroy the socket) once this many events have arrived. */
  disconnectAfterEvents?: number;
  /** Counted as a failure when the response ends with another number of events. */
  expectEvents?: number;
};

/** Sends one streamed request and reads it to the end (or to `disconnectAfterEvents`), counting event frames. */
export function streamRequest(options: StreamRequestOptions): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const counter = new SseFrameCounter();
    const body = bodyOf(options.recipe);
    const startedAt = performance.now();
    let firstEventAt = Number.NaN;
    let status = 0;
    let settled = false;
    const settle = (ok: boolean, error?: string) => {
      if (settled) return;
      settled = true;
      const events = counter.events;
      const expected = options.expectEvents;
      const complete = ok && (expected === undefined || events === expected);
      resolve({
        ok: complete,
        status,
        events,
        bytes: counter.bytes,
        firstEventMs: firstEventAt - startedAt,
        totalMs: performance.now() - startedAt,
        error: complete ? undefined : (error ?? `ended after ${events} events, expected ${expected}`),
      });
    };
    const req = request({
      host: options.host,
      port: options.port,
      method: 'POST',
      path: options.recipe.path,
      agent: options.agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'text/event-stream' },
    }, (res) => {
      status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        res.on('end', () => settle(false, `HTTP ${status}`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        const completed = counter.push(chunk);
        if (completed === 0) return;
        const now = performance.now();
        if (Number.isNaN(firstEventAt)) firstEventAt = now;
        options.onEvents?.(completed, now);
        if (options.disconnectAfterEvents !== undefined && counter.events >= options.disconnectAfterEvents) {
          settle(true);
          req.destroy();
        }
      });
      res.on('end', () => settle(true));
      res.on('aborted', () => settle(false, 'response aborted'));
      res.on('error', (error) => settle(false, error.message));
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle(false, error.code ?? error.message));
    req.end(body);
  });
}
