import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../format.ts';
import { chartPalette } from '../theme.ts';
import { ChartCard } from './chart-card.tsx';
import { tooltipStyle } from './event-type-chart.tsx';

type Row = { id: string; label: string; durationMs: number; status: string };

/** How long each tool call took, as measured by the server. */
export function ToolDurationChart({ rows, theme }: { rows: Row[]; theme: 'light' | 'dark' }) {
  const palette = chartPalette(theme);
  return (
    <ChartCard title="Tool durations" testId="tool-duration-chart">
      {rows.length === 0 ? <p className="muted">No tool calls in this run.</p> : (
        <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 32 + 40)}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} stroke={palette.grid} />
            <XAxis type="number" tickFormatter={(value: number) => formatDuration(value)} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} />
            <YAxis type="category" dataKey="id" tickFormatter={(id: string) => rows.find((row) => row.id === id)?.label ?? id} width={220} tick={{ fill: palette.text, fontSize: 11 }} stroke={palette.grid} interval={0} />
            <Tooltip cursor={{ fill: palette.grid, opacity: 0.4 }} contentStyle={tooltipStyle(theme)} formatter={(value) => formatDuration(Number(value))} labelFormatter={(id) => rows.find((row) => row.id === id)?.label ?? String(id)} />
            <Bar dataKey="durationMs" name="duration" minPointSize={2} isAnimationActive={false}>
              {rows.map((row) => <Cell key={row.id} fill={row.status === 'failed' ? palette.failed : palette.tool} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}
