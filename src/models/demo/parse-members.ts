import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';

/** A team member as a team tool describes it. */
export type TeamMember = { id: string; description: string };

/**
 * Reads the members listed in a team tool's description, one per line as `- <id>: <description>`.
 * When the input schema has an enum of member ids at `enumPath`, only those ids count, and ids
 * the description does not list are added with an empty description.
 */
export function parseMembers(tool: LanguageModelV4FunctionTool, enumPath: readonly string[]): TeamMember[] {
  const listed: TeamMember[] = [];
  for (const line of (tool.description ?? '').split(/\r?\n/)) {
    const match = /^\s*[-*•]\s*`?([^`:\s]+)`?\s*:\s*(.*)$/.exec(line);
    if (match) listed.push({ id: match[1], description: match[2].trim() });
  }
  const allowed = readEnum(tool.inputSchema, enumPath);
  if (!allowed) return listed;
  const members = listed.filter((member) => allowed.includes(member.id));
  for (const id of allowed) if (!members.some((member) => member.id === id)) members.push({ id, description: '' });
  return members;
}

/** Follows `path` (property names, with `items` for arrays) through a JSON schema to an enum of strings. */
export function readEnum(schema: unknown, path: readonly string[]): string[] | undefined {
  let node: unknown = schema;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = key === 'items' ? node.items : isRecord(node.properties) ? node.properties[key] : undefined;
  }
  if (!isRecord(node) || !Array.isArray(node.enum)) return undefined;
  const values = node.enum.filter((value): value is string => typeof value === 'string');
  return values.length > 0 ? values : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
