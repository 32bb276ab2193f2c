import type { Server } from 'node:http';
import type { Socket } from 'node:net';

// A module function with the socket as its argument: no closure per connection (10k streams are 10k connections).
function closeIfSilent(socket: Socket): void {
  // Any byte read means the HTTP parser has a request under way, and Node's own request timeout answers it (408).
  if (socket.bytesRead === 0 && !socket.destroyed) socket.destroy();
}

function clearGuard(this: Socket & { silentGuard?: NodeJS.Timeout }): void {
  clearTimeout(this.silentGuard);
}

/**
 * Closes a connection that sends nothing at all within `timeoutMs` of connecting. Node's request timeout only starts
 * with a request's first byte, so without this a client could hold sockets (and descriptors) forever by opening them
 * and staying silent.
 */
export function guardSilentConnections(server: Server, timeoutMs: number): void {
  server.on('connection', (socket: Socket & { silentGuard?: NodeJS.Timeout }) => {
    socket.silentGuard = setTimeout(closeIfSilent, timeoutMs, socket);
    socket.silentGuard.unref();
    socket.once('close', clearGuard);
  });
}
