import { request as httpRequest, type Agent } from 'node:http';
import { createParser } from 'eventsource-parser';
import type { RunEvent } from '../../../src/events/run-event.ts';

/**
 * POSTs a run over `agent` (node:http, so a test controls keep-alive and the connection pool) and collects its
 * native SSE events until the stream ends. Rejects on any status but 200, a broken connection, or `signal`.
 */
export function streamRunEvents(baseUrl: string, options: { agent: Agent; body: unknown; signal: AbortSignal }): Promise<RunEvent[]> {
  const url = new URL(baseUrl);
  const body = JSON.stringify(options.body);
  return new Promise<RunEvent[]>((resolve, reject) => {
    const events: RunEvent[] = [];
    const parser = createParser({
      onEvent: (frame) => {
        const event = JSON.parse(frame.data) as RunEvent;
        if (frame.id !== String(event.seq) || frame.event !== event.type) reject(new Error(`frame ${frame.id}/${frame.event} is not its event ${event.seq}/${event.type}`));
        events.push(event);
      },
    });
    const request = httpRequest({
      host: url.hostname, port: url.port, method: 'POST', path: '/v1/runs', agent: options.agent, signal: options.signal,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`status ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => parser.feed(chunk));
      response.on('end', () => resolve(events));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
