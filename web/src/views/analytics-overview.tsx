import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../../client/api-types.ts';
import { client } from '../api.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { tooltipStyle } from '../charts/event-type-chart.tsx';
import { StatusPill } from '../components/status-pill.tsx';
import { formatCount, formatDateTime, formatDuration, millisBetween, truncate } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { CrossRunAnalytics } from './cross-run-analytics.tsx';
import { chartPalette, useTheme } from '../theme.ts';

const STATUSES = ['completed', 'failed', 'cancelled', 'running', 'queued'] as const;

/** `/analytics`: numbers across the most recent runs, and a way into any run's own analytics. */
export function AnalyticsOverview() {
  const [runs, setRuns] = useState<RunRecord[]>();
  const [error, setError] = useState<string>();
  const [runIdInput, setRunIdInput] = useState('');
  const { resolved } = useTheme();
  const palette = chartPalette(resolved);
  useEffect(() => {
    client.listRuns({ limit: 200 }).then((page) => setRuns(page.runs), (caught: Error) => setError(caught.message));
  }, []);

  const byTarget = useMemo(() => {
    const rows = new Map<string, Record<string, number | string>>();
    for (const run of runs ?? []) {
      const key = `${run.target.id}`;
      const row = rows.get(key) ?? { target: key, completed: 0, failed: 0, cancelled: 0, running: 0, queued: 0 };
      row[run.status] = (row[run.status] as number) + 1;
      rows.set(key, row);
    }
    return [...rows.values()];
  }, [runs]);
  const recent = useMemo(() => (runs ?? []).slice(0, 40).reverse().map((run, index) => ({
    id: run.id, index: index + 1, label: run.target.id, durationMs: millisBetween(run.startedAt, run.endedAt) ?? 0, tokens: run.usage?.totalTokens ?? 0, events: run.lastSeq, status: run.status,
  })), [runs]);
  const totals = useMemo(() => {
    const finished = (runs ?? []).filter((run) => run.endedAt);
    const durations = finished.map((run) => millisBetween(run.startedAt, run.endedAt) ?? 0).sort((a, b) => a - b);
    return {
      count: runs?.length ?? 0,
      tokens: (runs ?? []).reduce((sum, run) => sum + (run.usage?.totalTokens ?? 0), 0),
      events: (runs ?? []).reduce((sum, run) => sum + run.lastSeq, 0),
      medianMs: durations.length ? durations[Math.floor(durations.length / 2)] : undefined,
      failed: (runs ?? []).filter((run) => run.status === 'failed').length,
    };
  }, [runs]);

  const openRun = (event: FormEvent) => {
    event.preventDefault();
    if (runIdInput.trim()) navigate(`/analytics/${encodeURIComponent(runIdInput.trim())}`);
  };
  const statusColor: Record<string, string> = { completed: palette.series[1], failed: palette.failed, cancelled: palette.cancelled, running: palette.agent, queued: palette.tool };

  return (
    <div className="page analytics">
      <div className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="muted">Across the {formatCount(totals.count)} most recent runs. Open a run for its timeline, event types and raw events.</p>
        </div>
        <form className="inline-form" onSubmit={openRun}>
          <label htmlFor="open-run" className="sr-only">Run id</label>
          <input id="open-run" type="text" placeholder="run_…" value={runIdInput} onChange={(event) => setRunIdInput(event.target.value)} />
          <button type="submit" className="button">Open run</button>
        </form>
      </div>
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {!runs && !error && <p className="muted"><span className="spinner" aria-hidden="true" /> Loading…</p>}
      {runs && (
        <>
          <dl className="stat-cards">
            <div className="stat card"><dt>Runs</dt><dd>{formatCount(totals.count)}</dd></div>
            <div className="stat card"><dt>Median duration</dt><dd>{formatDuration(totals.medianMs)}</dd></div>
            <div className="stat card"><dt>Tokens</dt><dd>{formatCount(totals.tokens)}</dd></div>
            <div className="stat card"><dt>Events</dt><dd>{formatCount(totals.events)}</dd></div>
            <div className="stat card"><dt>Failed</dt><dd>{formatCount(totals.failed)}</dd></div>
          </dl>
          <div className="chart-grid">
            <ChartCard title="Runs by agent or team">
              <ResponsiveContainer width="100%" height={Math.max(160, byTarget.length * 30 + 70)}>
                <BarChart data={byTarget} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
                  <CartesianGrid horizontal={false} stroke={palette.grid} />
                  <XAxis type="number" allowDecimals={false} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} />
                  <YAxis type="category" dataKey="target" width={130} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} interval={0} />
                  <Tooltip cursor={{ fill: palette.grid, opacity: 0.4 }} contentStyle={tooltipStyle(resolved)} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  {STATUSES.filter((status) => byTarget.some((row) => (row[status] as number) > 0)).map((status) => (
                    <Bar key={status} dataKey={status} stackId="status" fill={statusColor[status]} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </ChartCard>
            <ChartCard title="Duration of recent runs (oldest → newest; click a bar to open it)">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={recent} margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                  <CartesianGrid vertical={false} stroke={palette.grid} />
                  <XAxis dataKey="index" tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} />
                  <YAxis tickFormatter={(value: number) => formatDuration(value)} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} width={60} />
                  <Tooltip contentStyle={tooltipStyle(resolved)} formatter={(value) => formatDuration(Number(value))} labelFormatter={(index) => recent[Number(index) - 1]?.label ?? ''} />
                  <Bar dataKey="durationMs" name="duration" isAnimationActive={false} onClick={(data) => navigate(`/analytics/${(data as unknown as { id: string }).id}`)} cursor="pointer">
                    {recent.map((row) => <Cell key={row.id} fill={statusColor[row.status]} />)}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </ChartCard>
            <ChartCard title="Tokens and events of recent runs" className="span-2">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={recent} margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                  <CartesianGrid vertical={false} stroke={palette.grid} />
                  <XAxis dataKey="index" tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} />
                  <YAxis tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} width={60} />
                  <Tooltip contentStyle={tooltipStyle(resolved)} labelFormatter={(index) => recent[Number(index) - 1]?.label ?? ''} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar dataKey="tokens" fill={palette.series[0]} isAnimationActive={false} />
                  <Bar dataKey="events" fill={palette.series[2]} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </ChartCard>
          </div>
          <CrossRunAnalytics runs={runs} theme={resolved} />
          <section className="card">
            <h3>Recent runs</h3>
            <div className="table-wrap">
              <table className="runs-table">
                <thead><tr><th>Status</th><th>Agent / team</th><th>Input</th><th>Started</th><th className="num">Duration</th><th className="num">Tokens</th></tr></thead>
                <tbody>
                  {runs.slice(0, 25).map((run) => (
                    <tr key={run.id}>
                      <td><StatusPill status={run.status} /></td>
                      <td>{run.target.id}</td>
                      <td><Link href={`/analytics/${run.id}`}>{truncate(run.input, 70)}</Link></td>
                      <td className="nowrap">{formatDateTime(run.createdAt)}</td>
                      <td className="num">{formatDuration(millisBetween(run.startedAt, run.endedAt))}</td>
                      <td className="num">{formatCount(run.usage?.totalTokens)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
