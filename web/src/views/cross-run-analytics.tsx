import { useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../../client/api-types.ts';
import { summarizeRuns } from '../../../client/run-analytics.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';
import { client } from '../api.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { EventTypeChart, tooltipStyle } from '../charts/event-type-chart.tsx';
import { formatCount, formatDuration } from '../format.ts';
import { navigate } from '../router.tsx';
import { chartPalette } from '../theme.ts';

const SAMPLE_SIZE = 20;
const PARALLEL_READS = 4;

/** Event-level numbers across the most recent finished runs: event types, first-token times, tools, agents. */
export function CrossRunAnalytics({ runs, theme }: { runs: RunRecord[]; theme: 'light' | 'dark' }) {
  const sample = useMemo(() => runs.filter((run) => run.endedAt).slice(0, SAMPLE_SIZE), [runs]);
  const [eventLists, setEventLists] = useState<RunEvent[][]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    readAll(sample.map((run) => run.id), controller.signal).then(setEventLists, (caught: Error) => !controller.signal.aborted && setError(caught.message));
    return () => controller.abort();
  }, [sample]);
  const summary = useMemo(() => eventLists && summarizeRuns(eventLists), [eventLists]);
  const palette = chartPalette(theme);
  if (error) return <div className="banner banner-error" role="alert">{error}</div>;
  if (!summary) return <p className="muted"><span className="spinner" aria-hidden="true" /> Reading the events of the last {sample.length} runs…</p>;
  const firstTokens = summary.runs.slice().reverse().map((run, index) => ({ ...run, index: index + 1 }));
  // A team's own voice often reports no usage of its own (its members do): leave it off the token chart.
  const agentsWithTokens = summary.agents.filter((agent) => agent.totalTokens > 0);
  return (
    <>
      <h2 className="section-title">From the events of the last {summary.runs.length} finished runs</h2>
      <div className="chart-grid" data-testid="cross-run">
        <EventTypeChart counts={summary.typeCounts} theme={theme} />
        <div className="chart-column">
          <ChartCard title="Time to first token, per run">
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={firstTokens} margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                <CartesianGrid vertical={false} stroke={palette.grid} />
                <XAxis dataKey="index" tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} />
                <YAxis tickFormatter={(value: number) => formatDuration(value)} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} width={60} />
                <Tooltip contentStyle={tooltipStyle(theme)} formatter={(value) => formatDuration(Number(value))} labelFormatter={(index) => firstTokens[Number(index) - 1]?.target ?? ''} />
                <Bar dataKey="firstTokenMs" name="first token" fill={palette.series[4]} isAnimationActive={false} cursor="pointer" onClick={(data) => navigate(`/analytics/${(data as unknown as { runId: string }).runId}`)} />
              </BarChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard title="Tool durations by tool (average)">
            {summary.tools.length === 0 ? <p className="muted">No tool calls.</p> : (
              <ResponsiveContainer width="100%" height={Math.max(120, summary.tools.length * 30 + 40)}>
                <BarChart data={summary.tools} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
                  <CartesianGrid horizontal={false} stroke={palette.grid} />
                  <XAxis type="number" tickFormatter={(value: number) => formatDuration(value)} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} />
                  <YAxis type="category" dataKey="toolName" width={130} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} interval={0} />
                  <Tooltip contentStyle={tooltipStyle(theme)} formatter={(value, _name, item) => `${formatDuration(Number(value))} avg · ${formatDuration((item.payload as { maxMs: number }).maxMs)} max · ${(item.payload as { calls: number }).calls} calls`} />
                  <Bar dataKey="averageMs" name="average" minPointSize={2} isAnimationActive={false}>
                    {summary.tools.map((tool) => <Cell key={tool.toolName} fill={tool.failed ? palette.failed : palette.tool} />)}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            )}
          </ChartCard>
        </div>
        <ChartCard title="Tokens by agent" className="span-2">
          <ResponsiveContainer width="100%" height={Math.max(140, agentsWithTokens.length * 28 + 40)}>
            <BarChart data={agentsWithTokens} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
              <CartesianGrid horizontal={false} stroke={palette.grid} />
              <XAxis type="number" allowDecimals={false} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} />
              <YAxis type="category" dataKey="name" width={150} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} interval={0} />
              <Tooltip contentStyle={tooltipStyle(theme)} formatter={(value, _name, item) => `${formatCount(Number(value))} tokens in ${(item.payload as { runs: number }).runs} lane(s), ${formatDuration((item.payload as { averageMs: number }).averageMs)} on average`} />
              <Bar dataKey="totalTokens" name="tokens" fill={palette.series[0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
      </div>
    </>
  );
}

/** Reads each run's stored events, a few runs at a time. */
async function readAll(runIds: string[], signal: AbortSignal): Promise<RunEvent[][]> {
  const lists: RunEvent[][] = new Array(runIds.length);
  let next = 0;
  const worker = async () => {
    while (next < runIds.length) {
      const index = next++;
      lists[index] = await client.getEvents(runIds[index], { signal });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, runIds.length) }, worker));
  return lists;
}
