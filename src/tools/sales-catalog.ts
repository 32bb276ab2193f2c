/** The dimensions of the bundled sample sales dataset (`data/sales.csv`); the generator and the tool share them. */
export const SALES_REGIONS = ['North America', 'Europe', 'Asia Pacific', 'Latin America', 'Middle East & Africa'] as const;

export const SALES_PRODUCTS = [
  'Analytics Suite', 'Cloud Storage', 'Security Gateway', 'Collaboration Hub', 'AI Assistant', 'Data Pipeline',
] as const;

export const SALES_CHANNELS = ['Direct', 'Partner', 'Online'] as const;

/** First and last month covered, inclusive, as `YYYY-MM`. */
export const SALES_FIRST_MONTH = '2024-01';
export const SALES_LAST_MONTH = '2025-12';

/** The CSV columns, in file order. `revenue` is in US dollars with two decimals. */
export const SALES_COLUMNS = ['month', 'region', 'product', 'channel', 'units', 'revenue'] as const;
