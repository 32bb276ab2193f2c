import { describeToolResult } from './describe-tool-result.ts';
import { extractSections, textBeforeSections, type MemberSection } from './extract-sections.ts';
import { extractTopic } from './extract-topic.ts';
import type { PromptView } from './read-prompt.ts';
import { detectRole, voiceFor, type Voice } from './role-voices.ts';
import { endSentence, firstSentence, limitWords } from './text-tools.ts';
import { countTokens } from './tokenize.ts';

/** The last line of every demo answer, so no reader mistakes it for a language model's. */
export const DEMO_LABEL = '_(demo (simulated) model — no LLM was called.)_';

const ORDINARY_TOOLS = new Set(['calculator', 'clock', 'sales_data', 'knowledge_search']);
// Word budget of the body (the label adds 8 deltas): answers land at roughly 60-120 deltas.
const MIN_BODY_WORDS = 52;
const MAX_BODY_WORDS = 110;
const MAX_SECTIONS = 8;
const GREETING = /^\s*(?:hi|hello|hey|hallo|greetings|good (?:morning|afternoon|evening))(?: there| all| everyone)?[\s!.,?]*$/i;
// A first "hi" is where people learn what they are talking to, so say it plainly.
const GREETING_REPLY = 'Hello! This is the built-in demo model of agentstream: a simulated model that follows fixed rules, '
  + 'so the server can be tried without an API key. Ask for arithmetic ("What is 12 * (3 + 4)?"), the time in a city, '
  + 'sales by region, or a search ("Tell me about solar power"): the tools really run and every step streams live. '
  + 'Configure a provider key to use a real model.';

/**
 * The final answer of a step: leaning to the role in the system instructions, quoting tool results
 * and summarising `## Result from <member>` sections one sentence each. Ends with `DEMO_LABEL`,
 * then with the stop word on its own line when the instructions say "End with <WORD>".
 */
export function composeAnswer(view: PromptView): string {
  const sections = findSections(view);
  const topic = extractTopic(textBeforeSections(view.userText)) || 'your request';
  const voice = voiceFor(detectRole(view.system), topic);
  const blocks = sections.length > 0 ? synthesisBlocks(sections, voice, topic)
    : view.toolResults.length > 0 ? resultBlocks(view, voice)
    : isGreeting(view.userText) ? [GREETING_REPLY]
    : view.transcript.length > 0 ? transcriptBlocks(view.transcript, voice)
    : [voice.opening, voice.body, voice.closing];
  const body = fitToBudget(blocks, voice.extras);
  const stopWord = findStopWord(view.system);
  return `${body}\n\n${DEMO_LABEL}${stopWord ? `\n${stopWord}` : ''}`;
}

/** True when the whole message is a greeting such as "hi there!". */
export function isGreeting(text: string): boolean {
  return GREETING.test(text);
}

/**
 * The word the instructions ask every reply to end with ("End with TERMINATE" gives `TERMINATE`):
 * any word in capitals right after "End with"; `undefined` when there is none.
 */
export function findStopWord(instructions: string): string | undefined {
  return /\b[Ee]nd (?:with|your (?:reply|answer|message) with)\s+["'`*]*([A-Z][A-Z0-9_]+)\b/.exec(instructions)?.[1];
}

function findSections(view: PromptView): MemberSection[] {
  const fromText = [view.system, view.userText].flatMap((text) => extractSections(text));
  const fromTools = view.toolResults.filter((result) => !ORDINARY_TOOLS.has(result.toolName)).flatMap((result) => extractSections(result.value));
  return [...fromText, ...fromTools];
}

function synthesisBlocks(sections: readonly MemberSection[], voice: Voice, topic: string): string[] {
  const shown = sections.slice(0, MAX_SECTIONS);
  // Share the budget between sections so that many members still fit in one answer.
  const perSection = Math.max(8, Math.min(25, Math.floor(70 / shown.length)));
  const lines = shown.map((section) => `- **${section.member}:** ${endSentence(limitWords(firstSentence(section.content) || 'no output', perSection))}`);
  if (sections.length > shown.length) lines.push(`- …and ${sections.length - shown.length} more contributions.`);
  const intro = `Team result for ${topic}, one line per member:`;
  return [intro, lines.join('\n'), voice.closing];
}

function transcriptBlocks(transcript: readonly MemberSection[], voice: Voice): string[] {
  const recent = transcript.slice(-MAX_SECTIONS);
  const perTurn = Math.max(8, Math.min(25, Math.floor(70 / recent.length)));
  const lines = recent.map((turn) => `- **${turn.member}:** ${endSentence(limitWords(firstSentence(turn.content) || 'no message', perTurn))}`);
  return [voice.opening, `Building on the conversation so far:\n${lines.join('\n')}`, voice.closing];
}

function resultBlocks(view: PromptView, voice: Voice): string[] {
  const results = view.toolResults.filter((result) => ORDINARY_TOOLS.has(result.toolName) || extractSections(result.value).length === 0);
  const perResult = Math.max(20, Math.floor(80 / Math.max(1, results.length)));
  const described = results.slice(0, 4).map((result) => describeToolResult(result, perResult));
  if (results.length > 4) described.push(`${results.length - 4} more tool results were left out for brevity.`);
  return [voice.withResults, described.join('\n\n'), voice.closing];
}

function fitToBudget(blocks: readonly string[], extras: readonly string[]): string {
  const [opening, ...rest] = blocks.filter((block) => block !== '');
  const closing = rest.pop();
  const middle = [...rest];
  const assemble = () => [opening, ...middle, closing].filter((block): block is string => block !== undefined).join('\n\n');
  for (const extra of extras) {
    if (countTokens(assemble()) >= MIN_BODY_WORDS) break;
    middle.push(extra);
  }
  const body = assemble();
  return countTokens(body) <= MAX_BODY_WORDS ? body : truncate(body, MAX_BODY_WORDS);
}

function truncate(text: string, maxWords: number): string {
  const kept = text.match(/\S+\s*/g)?.slice(0, maxWords).join('').trimEnd() ?? '';
  // An odd number of ** would leave bold open to the end of the answer.
  const balanced = (kept.match(/\*\*/g) ?? []).length % 2 === 1 ? `${kept}**` : kept;
  return `${balanced.replace(/[,;:]$/, '')}…`;
}
