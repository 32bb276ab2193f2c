import type { JSONObject, LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import type { DemoDecision, PlannedToolCall } from './demo-decision.ts';
import { extractExpression } from './extract-expression.ts';
import { extractKeywords, stemWord } from './extract-keywords.ts';
import { extractTimeZone } from './extract-time-zone.ts';
import { extractTopic } from './extract-topic.ts';
import { readEnum } from './parse-members.ts';
import { sampleInput } from './sample-input.ts';
import { limitWords } from './text-tools.ts';

const CLOCK_WORDS = /\b(?:time|date|today|clock|timezone|time zone|what day)\b/i;
const SALES_STEMS = new Set(['sales', 'revenue', 'units', 'region', 'product', 'channel', 'report'].map(stemWord));
const ASK_PHRASES = /\b(?:ask me|ask the user|ask_user)\b/i;
const SEARCH_PHRASES = /\b(?:find|search|what is|what's|what are|who is|who was|look up|tell me about|research|explain)\b/i;

/**
 * The ordinary intent rules, each only when its tool is offered: an arithmetic expression calls
 * `calculator`, time words call `clock`, sales words call `sales_data`; only when none of those
 * matched, a search phrase calls `knowledge_search`. Several matches are called together. When
 * nothing matched and the instructions name exactly one offered tool ("Search … with
 * knowledge_search"), that tool is called. Returns `undefined` when no rule matches.
 */
export function decideToolCalls(userText: string, tools: readonly LanguageModelV4FunctionTool[], instructions = ''): DemoDecision | undefined {
  const offered = (name: string) => tools.find((tool) => tool.name === name);
  const calls: PlannedToolCall[] = [];
  const reasons: string[] = [];

  const expression = offered('calculator') ? extractExpression(userText) : undefined;
  if (expression) {
    calls.push({ toolName: 'calculator', input: { expression } });
    reasons.push(`It contains the expression ${expression}. I should not do arithmetic in my head, so I will ask the calculator.`);
  }
  if (offered('clock') && CLOCK_WORDS.test(userText)) {
    const timeZone = extractTimeZone(userText);
    calls.push({ toolName: 'clock', input: { timeZone } });
    reasons.push(`It asks about the current date or time in ${timeZone}. I cannot know that without looking, so I will call the clock.`);
  }
  const salesTool = offered('sales_data');
  if (salesTool && extractKeywords(userText).some((keyword) => SALES_STEMS.has(keyword.stem))) {
    const input = salesInput(userText, salesTool.inputSchema);
    calls.push({ toolName: 'sales_data', input });
    reasons.push(`It is about sales figures, so I will query sales_data for ${String(input.metric)} grouped by ${[input.groupBy].flat().join(' and ')}.`);
  }
  if (calls.length === 0) {
    const named = namedInText(userText, tools);
    const input = named && inputFromMessage(named, userText);
    if (named && input) {
      calls.push({ toolName: named.name, input });
      reasons.push(`It names the tool ${named.name}, so I will call it${Object.keys(input).length > 0 ? ` with ${JSON.stringify(input)}` : ''}.`);
    }
  }
  if (calls.length === 0 && offered('ask_user') && ASK_PHRASES.test(userText)) {
    const question = textAfterColon(userText) || `What should I know to answer "${limitWords(userText, 12)}"?`;
    calls.push({ toolName: 'ask_user', input: { question } });
    reasons.push('I am told to ask the user first, so I will put the question to them and wait for the answer.');
  }
  if (calls.length === 0 && offered('knowledge_search') && SEARCH_PHRASES.test(userText)) {
    const query = extractTopic(userText, 12);
    calls.push({ toolName: 'knowledge_search', input: { query } });
    reasons.push(`I need background on "${query}" before answering, so I will search the knowledge base first.`);
  }
  const mentioned = calls.length === 0 ? mentionedTool(userText, tools) : undefined;
  if (mentioned) {
    const argument = textAfterColon(userText) || extractTopic(userText, 12);
    calls.push({ toolName: mentioned.name, input: sampleInput(mentioned.inputSchema, argument) });
    reasons.push(`The message names the ${mentioned.name} tool, so I will call it with "${limitWords(argument, 12)}".`);
  }
  if (calls.length === 0) {
    const named = namedTool(instructions, tools);
    const input = named && inputFromInstructions(named, userText);
    if (!named || !input) return undefined;
    calls.push({ toolName: named.name, input });
    reasons.push(`My instructions say to use ${named.name}, so I will call it for this request.`);
  }

  const together = calls.length > 1 ? ' These calls are independent, so I will make them together.' : '';
  const asked = limitWords(userText.trim().split(/\n/)[0] ?? '', 20);
  const thinking = `The user asks: "${asked}"${/[.?!…]$/.test(asked) ? '' : '.'} ${reasons.join(' ')}${together} Then I will answer from the results.`;
  return { kind: 'tool-calls', thinking, calls };
}

const BUILTIN_NAMES = new Set(['calculator', 'clock', 'sales_data', 'knowledge_search', 'ask_user']);

/** A tool of the user's own (not a built-in, which the rules above handle) that the message names. */
function namedInText(userText: string, tools: readonly LanguageModelV4FunctionTool[]): LanguageModelV4FunctionTool | undefined {
  return tools.find((tool) => !BUILTIN_NAMES.has(tool.name) && new RegExp(`\\b${tool.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(userText));
}

/**
 * Arguments for a tool of the user's own, from the message: every string property gets the text after the
 * first colon (or the whole message without the tool's name). Undefined when a required argument is not a
 * string, since the demo cannot guess numbers or objects.
 */
function inputFromMessage(tool: LanguageModelV4FunctionTool, userText: string): JSONObject | undefined {
  const schema = isRecord(tool.inputSchema) ? tool.inputSchema : {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
  const colon = userText.indexOf(':');
  const text = (colon >= 0 ? userText.slice(colon + 1) : userText.replace(tool.name, '')).trim();
  const input: JSONObject = {};
  for (const [name, property] of Object.entries(properties)) {
    if (isRecord(property) && property.type === 'string') input[name] = text;
  }
  return required.every((name) => name in input) ? input : undefined;
}

// Tools with intent rules of their own above; the "message names the tool" rule is for every other tool.
const RULED_TOOLS = new Set(['calculator', 'clock', 'sales_data', 'knowledge_search']);

/**
 * An offered tool (a code-defined one or a client's) whose name the message spells out, e.g. "Use get_weather:
 * Paris". Its string arguments are the text after the colon.
 */
function mentionedTool(userText: string, tools: readonly LanguageModelV4FunctionTool[]): LanguageModelV4FunctionTool | undefined {
  return tools.find((tool) => !RULED_TOOLS.has(tool.name) && new RegExp(`(?<![\\w-])${tool.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(userText));
}

function textAfterColon(userText: string): string {
  const colon = userText.indexOf(':');
  return colon < 0 ? '' : (userText.slice(colon + 1).trim().split(/\n/)[0] ?? '').trim();
}

/** The one offered tool the instructions name, if they name exactly one. */
function namedTool(instructions: string, tools: readonly LanguageModelV4FunctionTool[]): LanguageModelV4FunctionTool | undefined {
  const named = tools.filter((tool) => new RegExp(`\\b${tool.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(instructions));
  return named.length === 1 ? named[0] : undefined;
}

function inputFromInstructions(tool: LanguageModelV4FunctionTool, userText: string): JSONObject | undefined {
  switch (tool.name) {
    case 'knowledge_search': return { query: extractTopic(userText, 12) };
    case 'sales_data': return salesInput(userText, tool.inputSchema);
    case 'clock': return { timeZone: extractTimeZone(userText) };
    case 'calculator': return undefined; // the calculator needs an expression
    default: return inputFromMessage(tool, userText); // a tool of the user's own: its string arguments from the message
  }
}

function salesInput(userText: string, schema: unknown): JSONObject {
  const text = userText.toLowerCase();
  const metrics = readEnum(schema, ['metric']);
  let metric = /\bunits?\b|\bvolume\b|\bquantit/.test(text) ? 'units' : 'revenue';
  if (metrics && !metrics.includes(metric)) metric = metrics.find((candidate) => text.includes(candidate.toLowerCase())) ?? metrics[0];

  const dimensions: string[] = [];
  if (/\b(?:trends?|months?|monthly|over time)\b/.test(text)) dimensions.push('month');
  if (/\bregion(?:s|al)?\b/.test(text)) dimensions.push('region');
  if (/\bproducts?\b/.test(text)) dimensions.push('product');
  if (/\bchannels?\b/.test(text)) dimensions.push('channel');
  if (dimensions.length === 0) dimensions.push('region');
  const allowed = readEnum(schema, ['groupBy', 'items']) ?? readEnum(schema, ['groupBy']);
  const groupBy = allowed ? dimensions.filter((dimension) => allowed.includes(dimension)) : dimensions;
  if (groupBy.length === 0 && allowed) groupBy.push(allowed[0]);

  const groupBySchema = isRecord(schema) && isRecord(schema.properties) ? schema.properties.groupBy : undefined;
  const wantsSingle = isRecord(groupBySchema) && groupBySchema.type === 'string';
  const input: JSONObject = { metric, groupBy: wantsSingle ? groupBy[0] : groupBy };
  // A trend wants months in time order; ask for it when the tool can sort by key.
  if (groupBy.includes('month') && readEnum(schema, ['orderBy'])?.includes('key')) input.orderBy = 'key';
  return input;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
