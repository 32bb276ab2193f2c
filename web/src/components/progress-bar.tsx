/** A team's reported progress, 0–100. */
export function ProgressBar({ percent, message }: { percent: number; message?: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-label">
        <span>{message ?? 'Progress'}</span>
        <strong data-testid="progress-percent">{Math.round(clamped)}%</strong>
      </div>
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped)} aria-label="Team progress">
        <div className="progress-fill" style={{ width: `${clamped}%` }} />
      </div>
    </div>
  );
}
