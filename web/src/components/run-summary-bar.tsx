import type { RunView } from '../../../client/run-view.ts';
import { formatCount, formatDuration, formatRunTokens } from '../format.ts';
import { Link } from '../router.tsx';
import { StatusPill } from './status-pill.tsx';

/** Status, timings, usage and links of one run, with an optional Cancel button while it runs. */
export function RunSummaryBar({ view, onCancel, isCancelling, mode }: { view: RunView; onCancel?: () => void; isCancelling?: boolean; mode?: 'live' | 'replay' }) {
  // A paused run (`awaiting_input`) is still live and can still be cancelled.
  const isRunning = view.status === 'running' || view.status === 'idle' || view.status === 'awaiting_input';
  return (
    <div className="run-bar" data-testid="run-bar" data-run-id={view.runId ?? ''} data-status={view.status}>
      <StatusPill status={view.status} testId="run-status" />
      {mode === 'live' && isRunning && <span className="badge badge-live">live</span>}
      {mode === 'replay' && <span className="badge">replay</span>}
      <dl className="run-stats">
        <div><dt>first token</dt><dd data-testid="ttft">{formatDuration(view.timings.firstTokenMs)}</dd></div>
        <div><dt>duration</dt><dd>{formatDuration(view.timings.durationMs)}</dd></div>
        <div><dt>tokens</dt><dd data-testid="run-tokens">{formatRunTokens(view)}</dd></div>
        <div><dt>events</dt><dd data-testid="event-count" data-last-seq={view.lastSeq} data-duplicates={view.duplicates} data-missing={view.missing}>{formatCount(view.eventCount)}</dd></div>
      </dl>
      <span className="run-links">
        {view.runId && <Link href={`/runs/${view.runId}`} className="link-quiet" title="Shareable link to this run">{view.runId.slice(0, 12)}…</Link>}
        {view.runId && <Link href={`/analytics/${view.runId}`} className="link-quiet">analytics</Link>}
      </span>
      {onCancel && isRunning && view.runId && (
        <button type="button" className="button button-danger" onClick={onCancel} disabled={isCancelling} data-testid="cancel">
          {isCancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
    </div>
  );
}
