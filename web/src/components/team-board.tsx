import type { RunView } from '../../../client/run-view.ts';
import { LaneCard } from './lane-card.tsx';
import { LaneItems } from './lane-items.tsx';
import { MarkdownText } from './markdown-text.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { StatusPill } from './status-pill.tsx';

/** A team run: progress, the orchestrator's decisions, one lane per member (parallel ones side by side), the answer. */
export function TeamBoard({ view }: { view: RunView }) {
  const voiceKey = view.laneOrder.find((key) => view.lanes[key].path.length === 1);
  const voice = voiceKey === undefined ? undefined : view.lanes[voiceKey];
  const members = view.laneOrder.filter((key) => key !== voiceKey).map((key) => view.lanes[key]);
  const running = members.filter((lane) => lane.status === 'running').length;
  // The answer has its own card; the orchestrator lane keeps the rest of what it did.
  const voiceWithoutAnswer = voice && { ...voice, items: voice.items.filter((item) => !(item.kind === 'message' && item.text === view.answer)) };
  return (
    <div className="team-board">
      {view.progress && <ProgressBar percent={view.progress.percent} message={view.progress.message} />}
      {voice && voiceWithoutAnswer && (
        <section className="orchestrator" data-testid="orchestrator" aria-label="Orchestrator">
          <header className="lane-head">
            <div className="lane-title"><strong>{voice.name}</strong><span className="chip">orchestrator</span></div>
            <StatusPill status={voice.status} />
          </header>
          <LaneItems lane={voiceWithoutAnswer} view={view} />
        </section>
      )}
      <div className="lanes-head">
        <h3>Members</h3>
        <span className="muted small" data-testid="running-count">{running > 0 ? `${running} working now` : `${members.length} lanes`}</span>
      </div>
      <div className="lanes" data-testid="lanes">
        {members.map((lane) => <LaneCard key={lane.key} lane={lane} view={view} />)}
        {members.length === 0 && <p className="muted">Members appear here as the orchestrator routes work to them.</p>}
      </div>
      {view.answer && (
        <section className="answer-card" data-testid="team-answer" aria-label="Team answer">
          <h3>Answer{view.status === 'running' ? ' (streaming…)' : ''}</h3>
          <MarkdownText text={view.answer} className={view.status === 'running' ? 'is-streaming' : ''} />
        </section>
      )}
    </div>
  );
}
