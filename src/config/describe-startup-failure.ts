// Start-up checks throw `StartupError` (./startup-error.ts); errors Node raises itself (a port in use) are worded here.

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
