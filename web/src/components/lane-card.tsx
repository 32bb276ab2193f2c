import type { LaneView, RunView } from '../../../client/run-view.ts';
import { laneKeyOf } from '../../../client/apply-event.ts';
import { laneLabel } from '../../../client/run-analytics.ts';
import { formatCount, formatDuration, millisBetween, truncate } from '../format.ts';
import { LaneItems } from './lane-items.tsx';
import { StatusPill } from './status-pill.tsx';

/** One team member's lane: who, its task, its status, and everything it does as it happens. */
export function LaneCard({ lane, view }: { lane: LaneView; view: RunView }) {
  const duration = millisBetween(lane.startedAt, lane.endedAt);
  // The reducer keeps a paused member `running`; the lane says who the run is waiting on.
  const status = view.pending.some((item) => laneKeyOf(item.agent.path) === lane.key) ? 'awaiting_input' : lane.status;
  return (
    <article className={`lane lane-${status}`} data-testid="lane" data-lane={lane.key} data-status={status} aria-label={`${laneLabel(lane)}: ${status}`}>
      <header className="lane-head">
        <div className="lane-title">
          <strong>{lane.name}</strong>
          {lane.path.at(-1) !== lane.agentId && <span className="chip">{lane.path.at(-1)}</span>}
        </div>
        <StatusPill status={status} />
      </header>
      {lane.task && <p className="lane-task" title={lane.task}>{truncate(lane.task.split('\n')[0], 140)}</p>}
      <div className="lane-meta muted small">
        {duration !== undefined && <span>{formatDuration(duration)}</span>}
        {lane.usage.totalTokens > 0 && <span>{formatCount(lane.usage.totalTokens)} tokens</span>}
        {lane.error && <span className="text-danger">{lane.error.message}</span>}
      </div>
      <LaneItems lane={lane} view={view} />
    </article>
  );
}
