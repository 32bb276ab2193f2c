import { formatDuration } from '../format.ts';
import type { Replay, ReplaySpeed } from '../hooks/use-replay.ts';

const SPEEDS: { value: ReplaySpeed; label: string }[] = [
  { value: 1, label: '1×' }, { value: 4, label: '4×' }, { value: 16, label: '16×' }, { value: 'instant', label: 'Instant' },
];

/** Play, pause, speed, scrub and jump to the end of a recorded run. */
export function ReplayControls({ replay }: { replay: Replay }) {
  const isAtEnd = replay.position >= replay.total;
  return (
    <div className="replay-controls" role="group" aria-label="Replay" data-testid="replay-controls" data-position={replay.position} data-total={replay.total}>
      {replay.isPlaying ? (
        <button type="button" className="button" onClick={replay.pause}>❚❚ Pause</button>
      ) : (
        <button type="button" className="button button-primary" onClick={replay.play}>{isAtEnd ? '↺ Replay' : '▶ Play'}</button>
      )}
      <button type="button" className="button button-quiet" onClick={replay.restart}>Restart</button>
      <button type="button" className="button button-quiet" onClick={replay.jumpToEnd} disabled={isAtEnd} data-testid="jump-to-end">Jump to end</button>
      <div className="segmented" role="radiogroup" aria-label="Speed">
        {SPEEDS.map((speed) => (
          <button key={speed.label} type="button" role="radio" aria-checked={replay.speed === speed.value} className={replay.speed === speed.value ? 'is-selected' : ''} onClick={() => replay.setSpeed(speed.value)}>
            {speed.label}
          </button>
        ))}
      </div>
      <label className="scrubber">
        <span className="sr-only">Position</span>
        <input type="range" min={0} max={replay.total} value={replay.position} onChange={(event) => replay.seek(Number(event.target.value))} />
      </label>
      <span className="muted small nowrap" data-testid="replay-position">
        event {replay.position} / {replay.total} · {formatDuration(replay.elapsedMs)} / {formatDuration(replay.totalMs)}
      </span>
    </div>
  );
}
