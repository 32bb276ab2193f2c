import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartPalette } from '../theme.ts';
import { ChartCard } from './chart-card.tsx';
import { tooltipStyle } from './event-type-chart.tsx';

type Row = { label: string; inputTokens: number; outputTokens: number; reasoningTokens: number; totalTokens: number };

/** Input and output tokens per agent (members each on their own row). */
export function TokensChart({ rows, theme }: { rows: Row[]; theme: 'light' | 'dark' }) {
  const palette = chartPalette(theme);
  return (
    <ChartCard title="Tokens by agent" testId="tokens-chart">
      {rows.length === 0 ? <p className="muted">No usage reported yet.</p> : (
        <ResponsiveContainer width="100%" height={Math.max(140, rows.length * 30 + 70)}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} stroke={palette.grid} />
            <XAxis type="number" allowDecimals={false} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} />
            <YAxis type="category" dataKey="label" width={150} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} interval={0} />
            <Tooltip cursor={{ fill: palette.grid, opacity: 0.4 }} contentStyle={tooltipStyle(theme)} />
            <Legend wrapperStyle={{ color: palette.text, fontSize: 12 }} />
            <Bar dataKey="inputTokens" name="input" stackId="tokens" fill={palette.series[0]} isAnimationActive={false} />
            <Bar dataKey="outputTokens" name="output" stackId="tokens" fill={palette.series[1]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}
