import { askUserTool } from './ask-user.ts';
import { calculatorTool } from './calculator.ts';
import { clockTool } from './clock.ts';
import type { Tool } from './define-tool.ts';
import { knowledgeSearchTool } from './knowledge-search.ts';
import { salesDataTool } from './sales-data.ts';

/**
 * The built-in tools, all offline: calculator, clock, sales_data, knowledge_search, in that order, then ask_user
 * (a question for the person behind the run: human in the loop).
 * The instances are shared: their data is read-only and each loads it once, on first use.
 */
export function createBuiltinTools(): Tool[] {
  return [calculatorTool, clockTool, salesDataTool, knowledgeSearchTool, askUserTool];
}
