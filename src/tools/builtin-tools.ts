import { calculatorTool } from './calculator.ts';
import { clockTool } from './clock.ts';
import type { Tool } from './define-tool.ts';
import { knowledgeSearchTool } from './knowledge-search.ts';
import { salesDataTool } from './sales-data.ts';

/**
 * The four built-in tools, all offline: calculator, clock, sales_data, knowledge_search, in that order.
 * The instances are shared: their data is read-only and each loads it once, on first use.
 */
export function createBuiltinTools(): Tool[] {
  return [calculatorTool, clockTool, salesDataTool, knowledgeSearchTool];
}
