/**
 * A reason the server cannot start, worded for the operator: `main.ts` prints its message as one line and exits
 * non-zero, never a stack trace. Anything that checks a start-up resource (data directory, database, Redis,
 * TLS files) throws one; `describeStartupFailure` words the errors Node raises itself (a port in use).
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** One line saying why the server did not start, for any error start-up threw. */
export function describeStartupFailure(error: unknown, where: { host: string; port: number }): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `${where.host}:${where.port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${address}: the port is already in use (set PORT to another port, or stop the other process).`;
  if (code === 'EACCES') return `cannot listen on ${address}: permission denied (ports below 1024 need privileges; set PORT).`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${address}: HOST is not an address of this machine.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot listen on ${address}: HOST '${where.host}' does not resolve.`;
  const message = error instanceof Error ? error.message : String(error);
  return oneLine(message);
}

function oneLine(text: string): string {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).join(' ');
}
