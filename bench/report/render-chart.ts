import type { BenchResults, TargetResults } from '../lib/bench-results.ts';
import { formatNumber } from './format-numbers.ts';

type Panel = { title: string; unit: string; lowerIsBetter: boolean; value(target: TargetResults): number | undefined };

const COLORS: Record<string, string> = { agentstream: '#2563eb', raw: '#64748b', aisdk: '#f59e0b', mastra: '#10b981' };
const PANEL_WIDTH = 460;
const LABEL_WIDTH = 190;
const BAR_HEIGHT = 22;
const GAP = 8;

const PANELS: Panel[] = [
  { title: 'Server CPU per event, 50 concurrent runs', unit: 'µs', lowerIsBetter: true, value: (target) => target.concurrent50?.cpuPerEventMicros },
  { title: 'Runs per second, 50 concurrent runs (one core)', unit: 'runs/s', lowerIsBetter: false, value: (target) => target.concurrent50?.runsPerSecond },
  { title: 'Server memory per open stream (RSS)', unit: 'KB', lowerIsBetter: true, value: (target) => target.idle?.rssPerStreamKB },
  { title: 'Paced streams: inter-event gap p99', unit: 'ms', lowerIsBetter: true, value: (target) => target.paced?.gaps?.p99 },
];

/** A small SVG bar chart of the headline figures, one panel per figure, one bar per target. */
export function renderChart(results: BenchResults): string {
  const targets = results.targets;
  const panelHeight = 34 + targets.length * (BAR_HEIGHT + GAP) + 10;
  const columns = 2;
  const width = columns * (PANEL_WIDTH + 20) + 20;
  const height = Math.ceil(PANELS.length / columns) * panelHeight + 50;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="26" font-size="15" font-weight="600" fill="#0f172a">agentstream vs the raw ceiling and the peers (${results.mode}, ${results.startedAt.slice(0, 10)})</text>`,
  ];
  PANELS.forEach((panel, index) => {
    const x = 20 + (index % columns) * (PANEL_WIDTH + 20);
    const y = 44 + Math.floor(index / columns) * panelHeight;
    const values = targets.map((target) => panel.value(target));
    const max = Math.max(...values.filter((value): value is number => value !== undefined && Number.isFinite(value)), 0) || 1;
    parts.push(`<text x="${x}" y="${y + 14}" font-weight="600" fill="#0f172a">${escape(panel.title)} <tspan fill="#64748b" font-weight="400">(${panel.lowerIsBetter ? 'lower' : 'higher'} is better)</tspan></text>`);
    targets.forEach((target, row) => {
      const barY = y + 26 + row * (BAR_HEIGHT + GAP);
      const value = values[row];
      const barWidth = value === undefined || !Number.isFinite(value) ? 0 : Math.max(1, ((PANEL_WIDTH - LABEL_WIDTH - 70) * value) / max);
      parts.push(`<text x="${x}" y="${barY + 15}" fill="#334155">${escape(target.label)}</text>`);
      parts.push(`<rect x="${x + LABEL_WIDTH}" y="${barY}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${COLORS[target.target] ?? '#94a3b8'}"/>`);
      const text = value === undefined || !Number.isFinite(value) ? 'n/a' : `${formatNumber(value)} ${panel.unit}`;
      parts.push(`<text x="${x + LABEL_WIDTH + barWidth + 6}" y="${barY + 15}" fill="#0f172a">${escape(text)}</text>`);
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
