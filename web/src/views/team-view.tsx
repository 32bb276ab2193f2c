import { useState, type FormEvent } from 'react';
import { ConnectionBanner } from '../components/connection-banner.tsx';
import { DemoNotice } from '../components/demo-notice.tsx';
import { Field } from '../components/field.tsx';
import { PendingInputContext } from '../components/pending-input-card.tsx';
import { RunPanel } from '../components/run-panel.tsx';
import { RunSummaryBar } from '../components/run-summary-bar.tsx';
import { useCatalog } from '../hooks/use-catalog.ts';
import { useLiveRun } from '../hooks/use-live-run.ts';

const EXAMPLES: Record<string, string> = {
  research: 'AI trends 2024',
  business_insights: 'Generate a monthly business report for our sales performance',
  web_team: 'Create a landing page for a coffee subscription',
};

/** Run a team and watch it work: the orchestrator's routing, one lane per member, progress and the answer. */
export function TeamView({ initialTeam }: { initialTeam?: string }) {
  const { catalog, error: catalogError } = useCatalog();
  const [teamId, setTeamId] = useState(initialTeam ?? 'research');
  const [model, setModel] = useState('');
  const [input, setInput] = useState(EXAMPLES[initialTeam ?? 'research'] ?? '');
  const live = useLiveRun();
  const team = catalog?.teams.find((candidate) => candidate.id === teamId);
  const modelId = model || catalog?.models.defaultModel || '';
  const modelInfo = catalog?.models.models.find((candidate) => candidate.id === modelId);
  const isBusy = live.connection === 'connecting' || live.view.status === 'running' || live.view.status === 'awaiting_input';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!input.trim() || isBusy || !team) return;
    void live.start({ team: team.id, input: input.trim(), model: modelId || undefined });
  };
  const chooseTeam = (id: string) => {
    setTeamId(id);
    if (!input.trim() || Object.values(EXAMPLES).includes(input)) setInput(EXAMPLES[id] ?? '');
  };

  return (
    <div className="workspace workspace-page">
      <aside className="sidebar" aria-label="Team settings">
        <h2>Team</h2>
        <Field label="Team" htmlFor="team-select">
          <select id="team-select" value={teamId} disabled={isBusy} onChange={(event) => chooseTeam(event.target.value)}>
            {/* The name alone: "Business Insights (business_insights)" was clipped by the sidebar's width. */}
            {catalog?.teams.map((candidate) => <option key={candidate.id} value={candidate.id} title={candidate.id}>{candidate.name}</option>)}
          </select>
        </Field>
        <Field label="Model" htmlFor="team-model-select">
          <select id="team-model-select" value={modelId} disabled={isBusy} onChange={(event) => setModel(event.target.value)}>
            {catalog?.models.models.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.label}</option>)}
          </select>
        </Field>
        {team && (
          <div className="sidebar-info">
            <p>{team.description}</p>
            <p><span className="badge">{team.mode.replace('_', ' ')}</span></p>
            {team.stages ? (
              <ol className="stage-list" aria-label="Stages">
                {team.stages.map((stage) => <li key={stage.name}><strong>{stage.name}</strong>: {stage.members.join(', ')}{stage.fanOut ? ' (fan-out, in parallel)' : ''}</li>)}
              </ol>
            ) : (
              <ul className="member-list" aria-label="Members">
                {team.members.map((member) => <li key={member.id}><strong>{member.name}</strong> <span className="muted small">{member.description}</span></li>)}
              </ul>
            )}
          </div>
        )}
        {catalogError && <p className="text-danger" role="alert">Could not load the catalogue: {catalogError}</p>}
      </aside>
      <section className="team-main" aria-label="Team run">
        <DemoNotice model={modelInfo} />
        <form className="composer composer-top" onSubmit={onSubmit}>
          <label htmlFor="team-input" className="sr-only">Task for the team</label>
          <input id="team-input" type="text" value={input} placeholder="What should the team do?" onChange={(event) => setInput(event.target.value)} />
          {isBusy && live.view.runId ? (
            <button type="button" className="button button-danger" onClick={live.cancel} disabled={live.isCancelling} data-testid="cancel">{live.isCancelling ? 'Cancelling…' : 'Cancel'}</button>
          ) : (
            <button type="submit" className="button button-primary" disabled={!input.trim() || isBusy || !team}>Run team</button>
          )}
        </form>
        {live.connection !== 'idle' && (
          <>
            <RunSummaryBar view={live.view} mode="live" />
            <ConnectionBanner connection={live.connection} drops={live.drops} lastSeq={live.view.lastSeq} />
            {live.error && <div className="banner banner-error" role="alert">{live.error}</div>}
            <PendingInputContext.Provider value={live}>
              <RunPanel view={live.view} showInput={false} />
            </PendingInputContext.Provider>
          </>
        )}
        {live.connection === 'idle' && team && (
          <div className="empty-state">
            <h2>{team.name}</h2>
            <p className="muted">Each member gets its own lane; members working in parallel stream side by side. Routing decisions appear where the orchestrator makes them.</p>
          </div>
        )}
      </section>
    </div>
  );
}
