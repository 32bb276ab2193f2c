import { useEffect, useMemo } from 'react';
import { buildTimeline, countEventTypes, tokensByAgent, toolDurations } from '../../../client/run-analytics.ts';
import { EventTypeChart } from '../charts/event-type-chart.tsx';
import { TimelineChart } from '../charts/timeline-chart.tsx';
import { TokensChart } from '../charts/tokens-chart.tsx';
import { ToolDurationChart } from '../charts/tool-duration-chart.tsx';
import { ConnectionBanner } from '../components/connection-banner.tsx';
import { AgentTable } from '../components/agent-table.tsx';
import { EventTable } from '../components/event-table.tsx';
import { StatusPill } from '../components/status-pill.tsx';
import { formatCount, formatDuration } from '../format.ts';
import { useLiveRun } from '../hooks/use-live-run.ts';
import { Link } from '../router.tsx';
import { useTheme } from '../theme.ts';

/** `/analytics/{runId}`: one run's numbers, charts and raw events; live while the run is still going. */
export function AnalyticsView({ runId }: { runId: string }) {
  const live = useLiveRun();
  const { resolved } = useTheme();
  useEffect(() => {
    void live.follow(runId);
    return () => live.detach();
  }, [runId]);
  const { view, events } = live;
  const counts = useMemo(() => countEventTypes(events), [events, view.eventCount]);
  const spans = useMemo(() => buildTimeline(view, events.at(-1)?.ts), [view]);
  const tokens = useMemo(() => tokensByAgent(view), [view]);
  const tools = useMemo(() => toolDurations(view), [view]);
  const isLoading = view.eventCount === 0 && !live.error;

  return (
    <div className="page analytics">
      <div className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="muted">Run <Link href={`/runs/${runId}`}><code>{runId}</code></Link>{view.target && <> · {view.target.kind} <strong>{view.target.id}</strong></>}</p>
        </div>
        <div className="head-actions">
          <Link href={`/runs/${runId}`} className="button">Replay</Link>
          <Link href="/analytics" className="button button-quiet">All runs</Link>
        </div>
      </div>
      <ConnectionBanner connection={live.connection} drops={live.drops} lastSeq={view.lastSeq} />
      {live.error && <div className="banner banner-error" role="alert">{live.error}</div>}
      {isLoading ? <p className="muted"><span className="spinner" aria-hidden="true" /> Loading events…</p> : (
        <>
          <dl className="stat-cards" data-testid="stats">
            <Stat label="Status"><StatusPill status={view.status} /></Stat>
            <Stat label="Total duration" testId="stat-duration">{formatDuration(view.timings.durationMs)}</Stat>
            <Stat label="Time to first token" testId="stat-ttft">{formatDuration(view.timings.firstTokenMs)}</Stat>
            <Stat label="First answer token">{formatDuration(view.timings.firstAnswerMs)}</Stat>
            <Stat label="Events" testId="stat-events">{formatCount(view.eventCount)}</Stat>
            <Stat label="Tokens (in / out)">{formatCount(view.usage.totalTokens)} <span className="muted small">({formatCount(view.usage.inputTokens)} / {formatCount(view.usage.outputTokens)})</span></Stat>
            <Stat label="Tool calls">{formatCount(view.toolOrder.length)}</Stat>
            <Stat label="Agents">{formatCount(view.laneOrder.length)}</Stat>
          </dl>
          <div className="chart-grid">
            <EventTypeChart counts={counts} theme={resolved} />
            <div className="chart-column">
              <TokensChart rows={tokens} theme={resolved} />
              <ToolDurationChart rows={tools} theme={resolved} />
            </div>
            <TimelineChart spans={spans} theme={resolved} />
            <AgentTable view={view} />
            <EventTable events={events} version={view.eventCount} runId={runId} />
          </div>
        </>
      )}
    </div>
  );
}

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="stat card" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
