import type { RunView } from '../../../client/run-view.ts';
import { LaneItems } from './lane-items.tsx';
import { RunOutcome } from './run-outcome.tsx';
import { TeamBoard } from './team-board.tsx';

/** The body of any run: a team board for teams, a transcript for a single agent. */
export function RunPanel({ view, showInput = true }: { view: RunView; showInput?: boolean }) {
  const isTeam = view.target?.kind === 'team' || view.laneOrder.some((key) => view.lanes[key].path.length > 0);
  return (
    <div className="run-panel" data-testid="run-panel">
      {showInput && view.input && <div className="user-message" data-testid="user-message"><span className="sr-only">You: </span>{view.input}</div>}
      {isTeam ? <TeamBoard view={view} /> : <AgentTranscript view={view} />}
      <RunOutcome view={view} />
    </div>
  );
}

/** A single agent's lane without its own scroll box: the page scrolls. */
export function AgentTranscript({ view }: { view: RunView }) {
  const lane = view.lanes[''] ?? view.lanes[view.laneOrder[0]];
  if (!lane) return view.status === 'running' || view.status === 'idle' ? <p className="muted"><span className="spinner" aria-hidden="true" /> Starting…</p> : null;
  return (
    <div className="agent-transcript" data-testid="agent-transcript">
      <LaneItems lane={lane} view={view} scrollable={false} />
    </div>
  );
}
