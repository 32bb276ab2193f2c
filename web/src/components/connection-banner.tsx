import type { ConnectionState } from '../hooks/use-live-run.ts';

/** Says plainly when the stream dropped and is being resumed from the last event, and that it was. */
export function ConnectionBanner({ connection, drops, lastSeq }: { connection: ConnectionState; drops: number; lastSeq: number }) {
  if (connection === 'reconnecting') {
    return (
      <div className="banner banner-warning" role="status" data-testid="connection" data-connection="reconnecting">
        <span className="spinner" aria-hidden="true" /> Connection lost — reconnecting… (will resume after event #{lastSeq})
      </div>
    );
  }
  if (drops > 0) {
    return (
      <div className="banner banner-info" role="status" data-testid="connection" data-connection={connection} data-drops={drops}>
        Connection dropped {drops === 1 ? 'once' : `${drops} times`}; resumed from the last event received, nothing missed.
      </div>
    );
  }
  return null;
}
