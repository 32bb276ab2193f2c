import { formatFigure } from './format-figure.ts';
import type { SeenToolResult } from './read-prompt.ts';
import { capitalize, endSentence, firstSentence, joinList, limitWords, parseMaybeJson } from './text-tools.ts';

type Row = Record<string, unknown>;

const MAX_ROWS = 6;

/**
 * One or two sentences that quote a tool result's concrete content: the calculator's number, the
 * clock's time, sales figures per group, search result titles, or the salient fields of any other
 * tool's result. At most `maxWords` words.
 */
export function describeToolResult(result: SeenToolResult, maxWords = 45): string {
  const value = parseMaybeJson(result.value);
  const input = asRecord(parseMaybeJson(result.input));
  if (result.isError) {
    return limitWords(`The ${result.toolName} tool failed (${endSentence(firstSentence(stringOf(value)) || 'no details').replace(/\.$/, '')}), so that part is missing from this answer.`, maxWords);
  }
  const sentence = (() => {
    switch (result.toolName) {
      case 'calculator': return describeCalculation(value, input);
      case 'clock': return describeTime(value, input);
      case 'sales_data': return describeSales(value, input);
      case 'knowledge_search': return describeSearch(value, input);
      default: return undefined;
    }
  })();
  return limitWords(sentence ?? describeAnything(result.toolName, value), maxWords);
}

function describeCalculation(value: unknown, input: Row): string | undefined {
  const record = asRecord(value);
  const answer = typeof value === 'number' || typeof value === 'string' ? value : pick(record, ['result', 'value', 'answer', 'output']);
  if (answer === undefined) return undefined;
  const expression = pick(input, ['expression']) ?? pick(record, ['expression']);
  const shown = typeof answer === 'number' ? formatNumber(answer) : String(answer);
  return expression === undefined ? `The calculator gives **${shown}**.` : `The calculator gives **${shown}** for \`${String(expression)}\`.`;
}

function describeTime(value: unknown, input: Row): string | undefined {
  const record = asRecord(value);
  const { weekday, date, time: clockTime, utcOffset } = record;
  if (typeof date === 'string' && typeof clockTime === 'string') {
    const day = typeof weekday === 'string' ? `${weekday}, ` : '';
    const offset = typeof utcOffset === 'string' ? ` (UTC${utcOffset})` : '';
    const zone = pick(record, ['timeZone']) ?? pick(input, ['timeZone']);
    return `The clock reports **${day}${date}, ${clockTime}**${zone === undefined ? '' : ` in ${String(zone)}`}${offset}.`;
  }
  const time = typeof value === 'string' ? value : pick(record, ['formatted', 'local', 'localTime', 'display', 'text', 'dateTime', 'datetime', 'iso', 'time', 'now', 'utc']);
  if (time === undefined) return undefined;
  const zone = pick(record, ['timeZone', 'timezone', 'zone']) ?? pick(input, ['timeZone']);
  return `The clock reports **${String(time)}**${zone === undefined ? '' : ` in ${String(zone)}`}.`;
}

function describeSales(value: unknown, input: Row): string | undefined {
  const record = asRecord(value);
  const rows = findRows(value);
  if (rows.length === 0) return undefined;
  const metric = String(pick(input, ['metric']) ?? pick(record, ['metric']) ?? 'value');
  const groupBy = [pick(input, ['groupBy']) ?? pick(record, ['groupBy']) ?? []].flat().map(String);
  const isTrend = groupBy.includes('month');
  const points = rows.flatMap((row) => {
    const figure = numberIn(row, [metric, 'value', 'total', 'amount']);
    return figure === undefined ? [] : [{ label: labelOf(row, groupBy), figure }];
  });
  // A trend reads in time order, whatever order the tool ranked the rows in.
  if (isTrend) points.sort((left, right) => (left.label < right.label ? -1 : left.label > right.label ? 1 : 0));
  if (points.length === 0) return undefined;

  const shown = points.slice(0, MAX_ROWS).map((point) => `${point.label} ${formatFigure(point.figure, metric)}`);
  const more = points.length > MAX_ROWS ? ` and ${points.length - MAX_ROWS} more` : '';
  const by = groupBy.length > 0 ? ` by ${groupBy.join(' and ')}` : '';
  const listing = `${capitalize(metric)}${by}: ${shown.join(', ')}${more}.`;
  const total = typeof record.total === 'number' ? record.total : points.reduce((sum, point) => sum + point.figure, 0);
  if (isTrend && points.length > 1) {
    const [first, last] = [points[0], points[points.length - 1]];
    const change = first.figure === 0 ? '' : ` (${formatChange((last.figure - first.figure) / first.figure)})`;
    return `${listing} From ${first.label} to ${last.label} it moved from ${formatFigure(first.figure, metric)} to ${formatFigure(last.figure, metric)}${change}.`;
  }
  const top = points.reduce((best, point) => (point.figure > best.figure ? point : best));
  return `${listing} ${top.label} leads with ${formatFigure(top.figure, metric)}, out of ${formatFigure(total, metric)} in total.`;
}

function describeSearch(value: unknown, input: Row): string | undefined {
  const query = pick(input, ['query']) ?? pick(asRecord(value), ['query']);
  if (typeof value === 'string') return `The knowledge search returned: ${endSentence(firstSentence(value))}`;
  const rows = findRows(value);
  if (rows.length === 0) {
    return `The knowledge search found nothing for "${String(query ?? 'the request')}", so this answer relies on general guidance.`;
  }
  const titles = rows.slice(0, 3).map((row) => `"${String(pick(row, ['title', 'name', 'heading', 'id']) ?? 'untitled')}"`);
  const snippet = pick(rows[0], ['snippet', 'summary', 'content', 'text', 'description', 'abstract']);
  const found = `The knowledge search found ${rows.length} source${rows.length === 1 ? '' : 's'}: ${joinList(titles)}${rows.length > 3 ? ' among others' : ''}.`;
  return typeof snippet === 'string' ? `${found} The most relevant says: ${endSentence(limitWords(firstSentence(snippet), 25))}` : found;
}

function describeAnything(toolName: string, value: unknown): string {
  if (typeof value === 'string') return `The ${toolName} tool returned: ${endSentence(firstSentence(value) || 'an empty text')}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return `The ${toolName} tool returned ${String(value)}.`;
  if (Array.isArray(value)) {
    const labels = value.slice(0, 4).map((item) => (isScalar(item) ? `"${String(item)}"` : `"${String(pick(asRecord(item), ['title', 'name', 'memberId', 'id']) ?? 'item')}"`));
    return `The ${toolName} tool returned ${value.length} item${value.length === 1 ? '' : 's'}${labels.length > 0 ? `: ${joinList(labels)}` : ''}${value.length > 4 ? ' among others' : ''}.`;
  }
  const entries = Object.entries(asRecord(value));
  const list = entries.find(([, field]) => Array.isArray(field));
  if (list) return describeAnything(toolName, list[1]);
  const fields = entries.filter(([, field]) => isScalar(field)).slice(0, 4);
  if (fields.length === 0) return `The ${toolName} tool finished without a readable result.`;
  return `The ${toolName} tool returned ${fields.map(([key, field]) => `${key} ${String(field)}`).join('; ')}.`;
}

/** The array of row objects in a result: the value itself or its first array-of-objects property. */
function findRows(value: unknown): Row[] {
  if (Array.isArray(value)) return value.filter(isRow);
  for (const field of Object.values(asRecord(value))) {
    if (Array.isArray(field) && field.some(isRow)) return field.filter(isRow);
  }
  return [];
}

function labelOf(row: Row, groupBy: readonly string[]): string {
  const keys = groupBy.filter((key) => key in row);
  const parts = (keys.length > 0 ? keys.map((key) => row[key]) : Object.values(row).filter((field) => typeof field === 'string')).map(String);
  return parts.join(' / ') || 'Total';
}

function numberIn(row: Row, keys: readonly string[]): number | undefined {
  for (const key of keys) if (typeof row[key] === 'number') return row[key];
  return Object.values(row).find((field): field is number => typeof field === 'number');
}

function pick(record: Row, keys: readonly string[]): unknown {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return record[key];
  return undefined;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}

function formatChange(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function asRecord(value: unknown): Row {
  return isRow(value) ? value : {};
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
