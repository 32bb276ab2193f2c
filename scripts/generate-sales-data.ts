/**
 * Writes `src/tools/data/sales.csv`, the sample dataset behind the `sales_data` tool. Deterministic:
 * a seeded PRNG, so running it again yields the same bytes. Run: `node scripts/generate-sales-data.ts`.
 */
import { writeFileSync } from 'node:fs';
import {
  SALES_CHANNELS, SALES_COLUMNS, SALES_FIRST_MONTH, SALES_PRODUCTS, SALES_REGIONS,
} from '../src/tools/sales-catalog.ts';

/** mulberry32: small, fast and good enough for sample data; Math.random cannot be seeded. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

// Unit price in USD, monthly units in North America's direct channel at the start, and yearly growth.
const PRODUCTS: Record<string, { price: number; baseUnits: number; growth: number }> = {
  'Analytics Suite': { price: 1200, baseUnits: 60, growth: 0.12 },
  'Cloud Storage': { price: 240, baseUnits: 400, growth: 0.06 },
  'Security Gateway': { price: 2500, baseUnits: 25, growth: 0.18 },
  'Collaboration Hub': { price: 180, baseUnits: 500, growth: -0.05 },
  'AI Assistant': { price: 600, baseUnits: 80, growth: 0.9 },
  'Data Pipeline': { price: 900, baseUnits: 70, growth: 0.25 },
};
const REGIONS: Record<string, { weight: number; growth: number }> = {
  'North America': { weight: 1, growth: 0.04 },
  'Europe': { weight: 0.75, growth: 0.03 },
  'Asia Pacific': { weight: 0.6, growth: 0.16 },
  'Latin America': { weight: 0.25, growth: 0.08 },
  'Middle East & Africa': { weight: 0.2, growth: 0.12 },
};
// Partners get a discount; online sales grow fastest and sell at a small discount.
const CHANNELS: Record<string, { share: number; priceFactor: number; growth: number }> = {
  Direct: { share: 0.45, priceFactor: 1, growth: -0.02 },
  Partner: { share: 0.35, priceFactor: 0.85, growth: 0 },
  Online: { share: 0.2, priceFactor: 0.95, growth: 0.3 },
};
// Month of year 1..12: slow January and summer, quarter-end pushes, a strong fourth quarter.
const SEASONALITY = [0.86, 0.9, 1.08, 0.97, 1, 1.07, 0.92, 0.9, 1.08, 1.04, 1.12, 1.25];

const random = createRandom(20240101);
const noise = (spread: number) => 1 + (random() * 2 - 1) * spread;
const [firstYear, firstMonth] = SALES_FIRST_MONTH.split('-').map(Number);
const lines = [SALES_COLUMNS.join(',')];

for (let index = 0; index < 24; index += 1) {
  const monthOfYear = ((firstMonth - 1 + index) % 12) + 1;
  const year = firstYear + Math.floor((firstMonth - 1 + index) / 12);
  const month = `${year}-${String(monthOfYear).padStart(2, '0')}`;
  const years = index / 12;
  for (const region of SALES_REGIONS) {
    for (const product of SALES_PRODUCTS) {
      for (const channel of SALES_CHANNELS) {
        const productSpec = PRODUCTS[product];
        const regionSpec = REGIONS[region];
        const channelSpec = CHANNELS[channel];
        let demand = productSpec.baseUnits * regionSpec.weight * channelSpec.share
          * (1 + productSpec.growth) ** years * (1 + regionSpec.growth) ** years * (1 + channelSpec.growth) ** years
          * SEASONALITY[monthOfYear - 1] * noise(0.08);
        if (region === 'Europe' && monthOfYear === 8) demand *= 0.8; // European August holidays
        // A new EU security rule drove a buying wave in spring 2025.
        if (region === 'Europe' && product === 'Security Gateway' && month >= '2025-03' && month <= '2025-05') demand *= 1.45;
        const units = Math.max(0, Math.round(demand));
        const cents = Math.round(units * productSpec.price * channelSpec.priceFactor * noise(0.03) * 100);
        lines.push([month, region, product, channel, units, (cents / 100).toFixed(2)].join(','));
      }
    }
  }
}

const target = new URL('../src/tools/data/sales.csv', import.meta.url);
writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} rows to ${target.pathname}`);
