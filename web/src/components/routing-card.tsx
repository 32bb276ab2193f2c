import type { RoutingView } from '../../../client/run-view.ts';
import { truncate } from '../format.ts';

/** An orchestrator's routing decision, shown in its lane at the moment it was made. */
export function RoutingCard({ routing }: { routing: RoutingView }) {
  return (
    <div className="routing" data-testid="routing" role="note" aria-label="Routing decision">
      <div className="routing-head">
        <span className="routing-arrow" aria-hidden="true">➜</span>
        <span className="routing-members">{routing.memberIds.map((id) => <span key={id} className="chip">{id}</span>)}</span>
        <span className="routing-reason">{routing.reason}</span>
        <span className="badge">{routing.mode}</span>
      </div>
      {routing.task && (
        <details className="routing-task">
          <summary>Task: {truncate(routing.task.split('\n')[0], 90)}</summary>
          <pre>{routing.task}</pre>
        </details>
      )}
    </div>
  );
}
