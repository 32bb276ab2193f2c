import type { RunView } from '../../../client/run-view.ts';
import { laneLabel } from '../../../client/run-analytics.ts';
import { formatCount, formatDuration, millisBetween } from '../format.ts';
import { StatusPill } from './status-pill.tsx';

/** Per agent: when it started (from run start), how long it took, its first token, tokens and tool calls. */
export function AgentTable({ view }: { view: RunView }) {
  return (
    <section className="card span-2" aria-label="Agents" data-testid="agent-table">
      <h3>Agents</h3>
      <div className="table-wrap">
        <table className="runs-table agent-table">
          <thead><tr><th>Agent</th><th>Status</th><th className="num">Starts at</th><th className="num">Duration</th><th className="num">First token</th><th className="num">Tokens</th><th className="num">Tools</th></tr></thead>
          <tbody>
            {view.laneOrder.map((key) => {
              const lane = view.lanes[key];
              return (
                <tr key={key}>
                  <td className="nowrap">{laneLabel(lane)}</td>
                  <td><StatusPill status={lane.status} /></td>
                  <td className="num">{formatDuration(millisBetween(view.timings.startedAt, lane.startedAt))}</td>
                  <td className="num">{formatDuration(millisBetween(lane.startedAt, lane.endedAt))}</td>
                  <td className="num">{formatDuration(millisBetween(lane.startedAt, lane.firstTokenAt))}</td>
                  <td className="num">{formatCount(lane.usage.totalTokens)}</td>
                  <td className="num">{lane.items.filter((item) => item.kind === 'tool').length}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
