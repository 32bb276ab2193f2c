import type { RunStatus } from '../../../client/run-view.ts';

const LABELS: Record<string, string> = {
  idle: 'waiting', queued: 'queued', running: 'running', awaiting_input: 'waiting for you', completed: 'completed', failed: 'failed', cancelled: 'cancelled',
};

/** A run's or an agent's status as a coloured label; `running` pulses, `awaiting_input` (paused for a person) stands out. */
export function StatusPill({ status, testId }: { status: RunStatus | 'queued'; testId?: string }) {
  return (
    <span className={`pill pill-${status}`} data-status={status} data-testid={testId}>
      {status === 'running' && <span className="pulse" aria-hidden="true" />}
      {LABELS[status] ?? status}
    </span>
  );
}
