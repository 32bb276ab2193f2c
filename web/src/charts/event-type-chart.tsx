import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunEventType } from '../../../src/events/run-event.ts';
import { chartPalette } from '../theme.ts';
import { ChartCard } from './chart-card.tsx';

/** How many events of each type a run has, as bars plus the exact counts. */
export function EventTypeChart({ counts, theme }: { counts: { type: RunEventType; count: number }[]; theme: 'light' | 'dark' }) {
  const palette = chartPalette(theme);
  return (
    <ChartCard title="Event types" testId="event-type-chart">
      <ResponsiveContainer width="100%" height={Math.max(160, counts.length * 26 + 40)}>
        <BarChart data={counts} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
          <CartesianGrid horizontal={false} stroke={palette.grid} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} />
          <YAxis type="category" dataKey="type" width={130} tick={{ fill: palette.text, fontSize: 12 }} stroke={palette.grid} />
          <Tooltip cursor={{ fill: palette.grid, opacity: 0.4 }} contentStyle={tooltipStyle(theme)} />
          <Bar dataKey="count" isAnimationActive={false}>
            {counts.map((entry, index) => <Cell key={entry.type} fill={palette.series[index % palette.series.length]} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="count-list" aria-label="Event counts by type">
        {counts.map((entry) => (
          <li key={entry.type} data-testid="type-count" data-type={entry.type} data-count={entry.count}><code>{entry.type}</code> <strong>{entry.count}</strong></li>
        ))}
      </ul>
    </ChartCard>
  );
}

/** Tooltip colours that follow the theme. */
export function tooltipStyle(theme: 'light' | 'dark') {
  return theme === 'dark'
    ? { background: '#1b2130', border: '1px solid #2c3444', color: '#e5e9f0', borderRadius: 6 }
    : { background: '#ffffff', border: '1px solid #e5e7eb', color: '#111827', borderRadius: 6 };
}
