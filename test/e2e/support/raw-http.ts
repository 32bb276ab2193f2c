import { request as httpRequest, type Agent } from 'node:http';
import { connect } from 'node:net';

export type RawRequest = {
  method: string;
  /** Sent exactly as given: no URL normalisation (fetch would resolve `%2e%2e` and friends). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
  agent?: Agent;
};

/**
 * One HTTP/1.1 request with node:http, answered as a fetch `Response` once the whole body has arrived. Unlike
 * fetch it sends the path byte for byte and adds no content type, so tests control every header.
 */
export function sendRaw(baseUrl: string, options: RawRequest): Promise<Response> {
  const url = new URL(baseUrl);
  return new Promise<Response>((resolve, reject) => {
    const request = httpRequest({
      host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers, signal: options.signal, agent: options.agent ?? false,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = response.statusCode ?? 0;
        resolve(new Response(body.length === 0 || status === 204 ? null : body, { status, headers }));
      });
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * Opens a TCP connection, writes `data` as it is (any bytes: broken HTTP included), half-closes if asked, and
 * resolves with every byte the server sent once the server closed the connection. Rejects after `timeoutMs`.
 */
export function rawExchange(baseUrl: string, data: string | Buffer, options: { halfClose?: boolean; timeoutMs: number }): Promise<Buffer> {
  const url = new URL(baseUrl);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(data);
      if (options.halfClose) socket.end();
    });
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within ${options.timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    }, options.timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {}); // a reset after the answer is still a closed connection
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(Buffer.concat(chunks));
    });
  });
}

export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * Splits what a server sent on one connection into its HTTP/1.1 responses: bodies by Content-Length, chunked
 * encoding, or (the last one) the connection's close. Enough for tests; not a general parser.
 */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd < 0) throw new Error(`an incomplete response head: ${bytes.subarray(at, at + 200).toString('latin1')}`);
    const [statusLine, ...lines] = bytes.subarray(at, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!status) throw new Error(`not a status line: ${statusLine}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    at = headEnd + 4;
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', at);
        if (lineEnd < 0) throw new Error('a chunked body cut short');
        const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
        at = lineEnd + 2;
        if (size === 0) {
          at += 2;
          break;
        }
        parts.push(bytes.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      body = bytes.subarray(at, at + Number(headers['content-length']));
      at += body.length;
    } else {
      body = bytes.subarray(at);
      at = bytes.length;
    }
    responses.push({ status, headers, body: body.toString('utf8') });
  }
  return responses;
}
