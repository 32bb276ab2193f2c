import { readFileSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { defineTool, type Tool } from './define-tool.ts';
import {
  SALES_CHANNELS, SALES_COLUMNS, SALES_FIRST_MONTH, SALES_LAST_MONTH, SALES_PRODUCTS, SALES_REGIONS,
} from './sales-catalog.ts';

/** The bundled dataset the tool reads by default. */
export const SALES_CSV_URL = new URL('./data/sales.csv', import.meta.url);

const DIMENSIONS = ['month', 'region', 'product', 'channel'] as const;
const MONTH = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM');

const SalesQuery = z.object({
  metric: z.enum(['revenue', 'units']).default('revenue').describe('revenue (USD) or units sold. Default revenue.'),
  groupBy: z.array(z.enum(DIMENSIONS)).min(1).max(4).default(['region'])
    .refine((keys) => new Set(keys).size === keys.length, 'groupBy keys must be unique')
    .describe('Dimensions to break the metric down by, e.g. ["month"] for a trend or ["region", "product"]. Default ["region"].'),
  filters: z.object({
    region: z.string().max(100).optional().describe(`One of: ${SALES_REGIONS.join(', ')}.`),
    product: z.string().max(100).optional().describe(`One of: ${SALES_PRODUCTS.join(', ')}.`),
    channel: z.string().max(100).optional().describe(`One of: ${SALES_CHANNELS.join(', ')}.`),
    fromMonth: MONTH.optional().describe('First month included, YYYY-MM.'),
    toMonth: MONTH.optional().describe('Last month included, YYYY-MM.'),
  }).strict().default({}),
  orderBy: z.enum(['value_desc', 'value_asc', 'key']).default('value_desc')
    .describe('value_desc (largest first, default), value_asc, or key (chronological / alphabetical).'),
  limit: z.number().int().min(1).max(100).default(20).describe('Maximum rows returned, 1..100. Default 20.'),
});

type SalesQueryInput = z.infer<typeof SalesQuery>;

/** Loads the CSV into an in-memory SQLite table; revenue is kept in integer cents so sums are exact. */
function loadDatabase(csvUrl: URL): DatabaseSync {
  const [header, ...lines] = readFileSync(csvUrl, 'utf8').trim().split('\n');
  if (header !== SALES_COLUMNS.join(',')) throw new Error(`Unexpected sales CSV header: ${header}`);
  const database = new DatabaseSync(':memory:');
  database.exec(`CREATE TABLE sales (month TEXT NOT NULL, region TEXT NOT NULL, product TEXT NOT NULL,
    channel TEXT NOT NULL, units INTEGER NOT NULL, revenue_cents INTEGER NOT NULL)`);
  const insert = database.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)');
  database.exec('BEGIN');
  for (const line of lines) {
    // The generator never writes commas or quotes inside a field, so a plain split is exact.
    const [month, region, product, channel, units, revenue] = line.split(',');
    insert.run(month, region, product, channel, Number(units), Math.round(Number(revenue) * 100));
  }
  database.exec('COMMIT');
  return database;
}

/** Builds the query from whitelisted column names; every value the model sent is a bound parameter. */
function buildSql(query: SalesQueryInput): { where: string; parameters: SQLInputValue[]; select: string; order: string } {
  const conditions: string[] = [];
  const parameters: SQLInputValue[] = [];
  const { region, product, channel, fromMonth, toMonth } = query.filters;
  // NOCASE so "europe" finds Europe; an unknown name simply matches nothing.
  for (const [column, value] of [['region', region], ['product', product], ['channel', channel]] as const) {
    if (value !== undefined) { conditions.push(`${column} = ? COLLATE NOCASE`); parameters.push(value.trim()); }
  }
  if (fromMonth) { conditions.push('month >= ?'); parameters.push(fromMonth); }
  if (toMonth) { conditions.push('month <= ?'); parameters.push(toMonth); }
  const keys = query.groupBy.join(', ');
  const orders = { value_desc: `value DESC, ${keys}`, value_asc: `value ASC, ${keys}`, key: keys };
  return {
    where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '',
    parameters,
    select: query.metric === 'revenue' ? 'SUM(revenue_cents)' : 'SUM(units)',
    order: orders[query.orderBy],
  };
}

/** Read-only queries over the bundled sample sales data; the database is built on first call, once. */
export function createSalesDataTool(options: { csvUrl?: URL } = {}): Tool {
  let database: DatabaseSync | undefined;
  return defineTool({
    source: 'builtin',
    name: 'sales_data',
    description:
      `Queries a sample company sales dataset: monthly revenue (USD) and units sold from ${SALES_FIRST_MONTH} to ` +
      `${SALES_LAST_MONTH}, by region (${SALES_REGIONS.join(', ')}), product (${SALES_PRODUCTS.join(', ')}) and ` +
      `channel (${SALES_CHANNELS.join(', ')}). Use it for questions about sales, revenue, trends, top products or ` +
      'regions. Choose a metric, the dimensions to group by and optional filters; returns aggregated rows and the total.',
    inputSchema: SalesQuery,
    execute: (query) => {
      database ??= loadDatabase(options.csvUrl ?? SALES_CSV_URL);
      const { where, parameters, select, order } = buildSql(query);
      const keys = query.groupBy.join(', ');
      const scale = query.metric === 'revenue' ? 100 : 1;
      const grouped = database.prepare(
        `SELECT ${keys}, ${select} AS value, COUNT(*) OVER () AS groups FROM sales ${where} GROUP BY ${keys} ORDER BY ${order} LIMIT ?`,
      ).all(...parameters, query.limit);
      const totals = database.prepare(`SELECT COALESCE(${select}, 0) AS total FROM sales ${where}`).get(...parameters);
      if (!totals) throw new AppError('internal', { message: 'The sales total query returned nothing' });
      const rows = grouped.map((row) => ({
        ...Object.fromEntries(query.groupBy.map((key) => [key, String(row[key])])),
        value: Number(row.value) / scale,
      }));
      return {
        metric: query.metric,
        groupBy: query.groupBy,
        rows,
        total: Number(totals.total) / scale,
        rowCount: rows.length,
        // How many groups matched before `limit`; more than rowCount means the rows were cut.
        groupCount: grouped.length > 0 ? Number(grouped[0].groups) : 0,
      };
    },
  });
}

/** The shared instance over the bundled dataset; it loads nothing until its first call. */
export const salesDataTool: Tool = createSalesDataTool();
