/** One member's contribution in a synthesis prompt. */
export type MemberSection = { member: string; content: string };

const HEADING = /^#{2,3}\s*Result from\s+(.+?)\s*:?\s*$/gim;
const MEMBER_KEYS = ['memberId', 'member', 'agentId', 'agent', 'name', 'id'];
const OUTPUT_KEYS = ['output', 'result', 'text', 'answer', 'content', 'response'];

/**
 * Member results to synthesise: `## Result from <member>` sections in text, or, in a team tool's
 * result, an array of `{ memberId, output }`-like objects (also under `results` / `outputs`).
 */
export function extractSections(value: unknown): MemberSection[] {
  if (typeof value === 'string') return sectionsFromText(value);
  if (Array.isArray(value)) return value.flatMap(sectionFromRecord);
  if (isRecord(value)) {
    const nested = value.results ?? value.outputs ?? value.members;
    if (Array.isArray(nested)) return nested.flatMap(sectionFromRecord);
    for (const key of OUTPUT_KEYS) if (typeof value[key] === 'string') return sectionsFromText(value[key]);
  }
  return [];
}

/** The text before the first `## Result from` heading: the request a synthesis prompt restates. */
export function textBeforeSections(text: string): string {
  const index = text.search(new RegExp(HEADING.source, 'im'));
  return index < 0 ? text : text.slice(0, index);
}

function sectionsFromText(text: string): MemberSection[] {
  const headings = [...text.matchAll(HEADING)];
  return headings.map((heading, index) => ({
    member: heading[1].replace(/^\*\*|\*\*$/g, ''),
    // The team orchestrator restates each member's task first; the member's own output follows it.
    content: text.slice(heading.index + heading[0].length, headings[index + 1]?.index ?? text.length).trim().replace(/^Task:.*(?:\r?\n|$)/, '').trim(),
  }));
}

function sectionFromRecord(item: unknown): MemberSection[] {
  if (!isRecord(item)) return [];
  const member = MEMBER_KEYS.map((key) => item[key]).find((candidate) => typeof candidate === 'string');
  const content = OUTPUT_KEYS.map((key) => item[key]).find((candidate) => typeof candidate === 'string');
  return typeof member === 'string' && typeof content === 'string' ? [{ member, content }] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
