import { request as httpRequest } from 'node:http';
import { HANG_GUARD_MS } from './check-answer.ts';
import type { StreamRequest } from './streaming-routes.ts';

/** Where a client hangs up: once its request is sent, once the answer's headers arrive, after some frames, or never. */
export type DropPoint = { kind: 'after-send' } | { kind: 'after-headers' } | { kind: 'after-frames'; frames: number } | { kind: 'never' };

export type DropOutcome = { status?: number; text: string; frames: number; dropped: boolean };

/** SSE frames in `text` so far (blank-line separated), heartbeat comments not counted. */
export function countFrames(text: string): number {
  return text.split('\n\n').slice(0, -1).filter((frame) => !frame.startsWith(':')).length;
}

/**
 * Opens a stream with node:http and destroys the socket at `drop`, as a client that crashes or navigates away
 * would. Resolves once the client is done (dropped, or the answer ended); rejects if that takes longer than
 * the hang guard.
 */
export function openAndDrop(baseUrl: string, stream: StreamRequest, drop: DropPoint): Promise<DropOutcome> {
  const url = new URL(baseUrl);
  const body = stream.body === undefined ? undefined : JSON.stringify(stream.body);
  return new Promise<DropOutcome>((resolve, reject) => {
    const outcome: DropOutcome = { text: '', frames: 0, dropped: false };
    const guard = setTimeout(() => {
      request.destroy();
      reject(new Error(`${stream.method} ${stream.path}: no end within ${HANG_GUARD_MS} ms (dropped: ${outcome.dropped}, frames: ${outcome.frames})`));
    }, HANG_GUARD_MS);
    const done = () => {
      clearTimeout(guard);
      resolve(outcome);
    };
    const hangUp = () => {
      outcome.dropped = true;
      request.destroy();
      done();
    };
    const request = httpRequest({
      host: url.hostname, port: url.port, method: stream.method, path: stream.path, agent: false,
      headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (response) => {
      outcome.status = response.statusCode;
      if (drop.kind === 'after-headers') return hangUp();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (outcome.dropped) return;
        outcome.text += chunk;
        outcome.frames = countFrames(outcome.text);
        if (drop.kind === 'after-frames' && outcome.frames >= drop.frames) hangUp();
      });
      response.on('end', done);
      response.on('error', done);
      response.on('aborted', done);
    });
    request.on('error', (error) => (outcome.dropped ? done() : (clearTimeout(guard), reject(error))));
    request.end(body, () => {
      if (drop.kind === 'after-send') hangUp();
    });
  });
}
