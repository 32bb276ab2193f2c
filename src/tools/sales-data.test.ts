import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SALES_CHANNELS, SALES_PRODUCTS, SALES_REGIONS } from './sales-catalog.ts';
import { createSalesDataTool, SALES_CSV_URL } from './sales-data.ts';

const context = { signal: new AbortController().signal, runId: 'run-1', agent: { id: 'a', name: 'A', role: 'agent' as const, path: [] } };
const tool = createSalesDataTool();
const query = (input: unknown) => tool.execute(tool.parse(input), context) as Promise<{
  metric: string; groupBy: string[]; rows: Array<Record<string, string | number>>; total: number; rowCount: number; groupCount: number;
}>;

// The expected numbers come from the CSV itself, summed here in whole cents, independently of SQLite.
type Sale = { month: string; region: string; product: string; channel: string; units: number; cents: number };
const sales: Sale[] = readFileSync(SALES_CSV_URL, 'utf8').trim().split('\n').slice(1).map((line) => {
  const [month, region, product, channel, units, revenue] = line.split(',');
  assert.match(revenue, /^\d+\.\d{2}$/);
  return { month, region, product, channel, units: Number(units), cents: Number(revenue.replace('.', '')) };
});

function expected(key: (sale: Sale) => string, value: (sale: Sale) => number, keep: (sale: Sale) => boolean = () => true) {
  const sums = new Map<string, number>();
  for (const sale of sales.filter(keep)) sums.set(key(sale), (sums.get(key(sale)) ?? 0) + value(sale));
  return sums;
}

describe('sales dataset', () => {
  it('covers 24 months of every region, product and channel', () => {
    assert.equal(sales.length, 24 * 5 * 6 * 3);
    assert.equal(new Set(sales.map((sale) => sale.month)).size, 24);
    assert.deepEqual([...new Set(sales.map((sale) => sale.region))], [...SALES_REGIONS]);
    assert.deepEqual([...new Set(sales.map((sale) => sale.product))], [...SALES_PRODUCTS]);
    assert.deepEqual([...new Set(sales.map((sale) => sale.channel))], [...SALES_CHANNELS]);
    assert.equal(sales[0].month, '2024-01');
    assert.equal(sales.at(-1)?.month, '2025-12');
  });
});

describe('salesDataTool', () => {
  it('reports revenue by region by default, largest first, with the grand total', async () => {
    const byRegion = expected((sale) => sale.region, (sale) => sale.cents);
    const rows = [...byRegion].sort((a, b) => b[1] - a[1]).map(([region, cents]) => ({ region, value: cents / 100 }));
    const totalCents = sales.reduce((sum, sale) => sum + sale.cents, 0);
    assert.deepEqual(await query({}), {
      metric: 'revenue', groupBy: ['region'], rows, total: totalCents / 100, rowCount: 5, groupCount: 5,
    });
  });

  it('gives a monthly trend for one product in chronological order', async () => {
    const byMonth = expected((sale) => sale.month, (sale) => sale.cents, (sale) => sale.product === 'AI Assistant');
    const result = await query({ groupBy: ['month'], filters: { product: 'AI Assistant' }, orderBy: 'key', limit: 24 });
    assert.deepEqual(result.rows, [...byMonth].map(([month, cents]) => ({ month, value: cents / 100 })));
    assert.equal(result.total, [...byMonth.values()].reduce((sum, cents) => sum + cents, 0) / 100);
    // The generator gives AI Assistant strong growth: the trend must show it.
    assert.ok(Number(result.rows[23].value) > 3 * Number(result.rows[0].value));
  });

  it('counts units over two dimensions and reports the groups cut by the limit', async () => {
    const byPair = expected((sale) => `${sale.channel}|${sale.region}`, (sale) => sale.units);
    const top = [...byPair].sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([pair, units]) => ({ channel: pair.split('|')[0], region: pair.split('|')[1], value: units }));
    const result = await query({ metric: 'units', groupBy: ['channel', 'region'], limit: 3 });
    assert.deepEqual(result.rows, top);
    assert.equal(result.rowCount, 3);
    assert.equal(result.groupCount, 15);
    assert.equal(result.total, sales.reduce((sum, sale) => sum + sale.units, 0));
  });

  it('filters by a month range and matches names case-insensitively', async () => {
    const keep = (sale: Sale) => sale.region === 'Europe' && sale.month >= '2025-03' && sale.month <= '2025-05';
    const byProduct = expected((sale) => sale.product, (sale) => sale.cents, keep);
    const rows = [...byProduct].sort((a, b) => a[1] - b[1]).map(([product, cents]) => ({ product, value: cents / 100 }));
    const result = await query({ groupBy: ['product'], orderBy: 'value_asc', filters: { region: 'europe', fromMonth: '2025-03', toMonth: '2025-05' } });
    assert.deepEqual(result.rows, rows);
  });

  it('returns an empty result for unknown names, including SQL-looking ones', async () => {
    for (const region of ['Atlantis', "Europe' OR '1'='1", 'Europe; DROP TABLE sales']) {
      assert.deepEqual(await query({ filters: { region } }), {
        metric: 'revenue', groupBy: ['region'], rows: [], total: 0, rowCount: 0, groupCount: 0,
      });
    }
    assert.equal((await query({})).rowCount, 5);
  });

  it('rejects parameters outside the whitelist in the schema', () => {
    const invalid = [
      { metric: 'profit' }, { groupBy: ['country'] }, { groupBy: ['region', 'region'] }, { groupBy: [] },
      { orderBy: 'revenue DESC' }, { limit: 0 }, { limit: 101 }, { limit: 2.5 },
      { filters: { fromMonth: '2025-13' } }, { filters: { toMonth: '2025-1' } }, { filters: { sql: '1=1' } },
    ];
    for (const input of invalid) assert.throws(() => tool.parse(input), { name: 'ZodError' }, JSON.stringify(input));
  });

  it('tells the model which names exist', () => {
    for (const name of [...SALES_REGIONS, ...SALES_PRODUCTS, ...SALES_CHANNELS]) assert.ok(tool.description.includes(name), name);
  });
});
