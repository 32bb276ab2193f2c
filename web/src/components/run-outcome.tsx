import type { RunView } from '../../../client/run-view.ts';

/** How a run ended when it did not complete: the failure or the cancellation, in words. */
export function RunOutcome({ view }: { view: RunView }) {
  if (view.status === 'failed' && view.error) {
    return <div className="banner banner-error" role="alert" data-testid="run-error"><strong>Run failed</strong> — {view.error.message} <code>{view.error.code}</code></div>;
  }
  if (view.status === 'cancelled') {
    return <div className="banner banner-muted" role="status" data-testid="run-cancelled"><strong>Cancelled</strong> — {view.cancelReason ?? 'the run was cancelled'}.</div>;
  }
  return null;
}
