import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import type { DemoDecision } from './demo-decision.ts';
import { extractKeywords, type Keyword } from './extract-keywords.ts';
import { extractTopic } from './extract-topic.ts';
import { parseMembers, type TeamMember } from './parse-members.ts';

/** The tools a team orchestrator offers; when one is offered it wins over every ordinary tool. */
export const TEAM_TOOL_NAMES = ['route_to_member', 'delegate_tasks', 'submit_plan'] as const;

/**
 * Decides the call to the first offered team tool (in `TEAM_TOOL_NAMES` order), or `undefined`
 * when none is offered or its description lists no members.
 */
export function decideTeamCall(userText: string, tools: readonly LanguageModelV4FunctionTool[]): DemoDecision | undefined {
  for (const name of TEAM_TOOL_NAMES) {
    const tool = tools.find((candidate) => candidate.name === name);
    if (!tool) continue;
    if (name === 'submit_plan') return decidePlan(userText);
    const members = parseMembers(tool, name === 'route_to_member' ? ['memberId'] : ['tasks', 'items', 'memberId']);
    if (members.length === 0) continue;
    return name === 'route_to_member' ? decideRoute(userText, members) : decideDelegation(userText, members);
  }
  return undefined;
}

type Scored = { member: TeamMember; shared: Keyword[] };

/** Words the request shares with each member's id and description, after stop words and stemming. */
function scoreMembers(userText: string, members: readonly TeamMember[]): Scored[] {
  const wanted = extractKeywords(userText);
  return members.map((member) => {
    const offered = new Set(extractKeywords(`${member.id.replace(/[-_.]/g, ' ')} ${member.description}`).map((keyword) => keyword.stem));
    return { member, shared: wanted.filter((keyword) => offered.has(keyword.stem)) };
  });
}

function decideRoute(userText: string, members: readonly TeamMember[]): DemoDecision {
  const scored = scoreMembers(userText, members);
  // Strictly greater, so a tie keeps the member listed first.
  const best = scored.reduce((top, candidate) => (candidate.shared.length > top.shared.length ? candidate : top));
  const words = quoteWords(best.shared);
  const reason = best.shared.length > 0 ? `Best match for '${words}'` : `No specific match; defaulting to ${best.member.id}`;
  const thinking = best.shared.length > 0
    ? `The request is about ${extractTopic(userText)}. I can route it to one of ${members.length} members: ${listIds(members)}. ${best.member.id} shares the most with it (${words}), so I will hand the whole request to ${best.member.id}.`
    : `The request is about ${extractTopic(userText)}. None of the ${members.length} member descriptions share words with it, so I will default to the first member, ${best.member.id}.`;
  return { kind: 'tool-calls', thinking, calls: [{ toolName: 'route_to_member', input: { memberId: best.member.id, reason } }] };
}

function decideDelegation(userText: string, members: readonly TeamMember[]): DemoDecision {
  const scored = scoreMembers(userText, members);
  const matching = scored.filter((entry) => entry.shared.length > 0);
  const chosen = matching.length > 0 ? matching : scored;
  const request = userText.trim().replace(/\s+/g, ' ');
  const tasks = chosen.map(({ member }) => ({ memberId: member.id, task: `${imperativeFrom(member)} for: ${request}` }));
  const why = matching.length > 0
    ? matching.map((entry) => `${entry.member.id} matches on '${quoteWords(entry.shared)}'`).join(', ')
    : 'no member matches a specific word, so everyone takes a part';
  const thinking = `The request is about ${extractTopic(userText)}. ${capitalize(why)}. I will delegate ${tasks.length === 1 ? 'one sub-task' : `${tasks.length} sub-tasks`} with delegate_tasks; independent parts can run in parallel.`;
  return { kind: 'tool-calls', thinking, calls: [{ toolName: 'delegate_tasks', input: { tasks } }] };
}

function decidePlan(userText: string): DemoDecision {
  const topic = capitalize(extractTopic(userText, 8)) || 'The request';
  const items = [`${topic} overview`, `${topic} recent developments`, `${topic} key challenges`];
  const thinking = `The topic is ${topic}. A useful plan covers the basics, what changed recently and what is still hard, so I will submit three items with submit_plan.`;
  return { kind: 'tool-calls', thinking, calls: [{ toolName: 'submit_plan', input: { items } }] };
}

/**
 * A short imperative from a member's description: "Writes headlines and taglines. Loves puns."
 * becomes "Write headlines and taglines". A description that does not start with a verb becomes
 * "Handle the <id> part (<description>)".
 */
export function imperativeFrom(member: TeamMember): string {
  const words = (member.description.split(/[.;:\n]|\s[—–-]\s/)[0] ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 12);
  // A cut clause must not end on a dangling "and" or "for".
  while (words.length > 1 && /^(?:and|or|for|in|of|the|a|an|to|with|from)$/i.test(words[words.length - 1].replace(/[,]+$/, ''))) words.pop();
  const clause = words.join(' ').replace(/[,]+$/, '');
  if (clause === '') return `Handle the ${member.id} part`;
  const [first, ...rest] = clause.split(' ');
  if (rest.length > 0 && /^[A-Za-z]{3,}s$/.test(first) && !/ss$/i.test(first)) {
    return capitalize([toBaseVerb(first), ...rest].join(' '));
  }
  return `Handle the ${member.id} part (${clause})`;
}

function toBaseVerb(word: string): string {
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|ss|x)es$/i.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

function quoteWords(keywords: readonly Keyword[]): string {
  return keywords.map((keyword) => keyword.word).join(', ');
}

function listIds(members: readonly TeamMember[]): string {
  return members.map((member) => member.id).join(', ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
