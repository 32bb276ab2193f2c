import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimelineSpan } from '../../../client/run-analytics.ts';
import { formatDuration } from '../format.ts';
import { chartPalette } from '../theme.ts';
import { ChartCard } from './chart-card.tsx';
import { tooltipStyle } from './event-type-chart.tsx';

/** A Gantt chart of agents and their tool calls: an invisible offset bar stacked under the visible duration bar. */
export function TimelineChart({ spans, theme }: { spans: TimelineSpan[]; theme: 'light' | 'dark' }) {
  const palette = chartPalette(theme);
  const colorOf = (span: TimelineSpan) => span.status === 'failed' ? palette.failed : span.status === 'cancelled' ? palette.cancelled : span.kind === 'tool' ? palette.tool : palette.agent;
  return (
    <ChartCard title="Timeline" className="span-2" testId="timeline-chart">
      <ResponsiveContainer width="100%" height={Math.max(140, spans.length * 28 + 50)}>
        <BarChart data={spans} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 16 }} barCategoryGap={4}>
          <CartesianGrid horizontal={false} stroke={palette.grid} />
          <XAxis type="number" tickFormatter={(value: number) => formatDuration(value)} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} domain={[0, 'dataMax']} />
          <YAxis type="category" dataKey="id" tickFormatter={(id: string) => spans.find((span) => span.id === id)?.label ?? id} width={190} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} interval={0} />
          <Tooltip
            cursor={{ fill: palette.grid, opacity: 0.3 }}
            contentStyle={tooltipStyle(theme)}
            content={({ active, payload }) => {
              const span = active ? (payload?.[0]?.payload as TimelineSpan | undefined) : undefined;
              if (!span) return null;
              return (
                <div className="chart-tooltip" style={tooltipStyle(theme)}>
                  <strong>{span.label.trim()}</strong>
                  <div>starts at {formatDuration(span.startMs)}</div>
                  <div>lasts {formatDuration(span.durationMs)} · {span.status}</div>
                </div>
              );
            }}
          />
          <Bar dataKey="startMs" stackId="gantt" fill="transparent" isAnimationActive={false} />
          <Bar dataKey="durationMs" stackId="gantt" minPointSize={3} isAnimationActive={false} radius={[3, 3, 3, 3]}>
            {spans.map((span) => <Cell key={span.id} fill={colorOf(span)} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <div className="legend small">
        <span><i style={{ background: palette.agent }} /> agent</span>
        <span><i style={{ background: palette.tool }} /> tool call</span>
        <span><i style={{ background: palette.failed }} /> failed</span>
        <span><i style={{ background: palette.cancelled }} /> cancelled</span>
      </div>
    </ChartCard>
  );
}
