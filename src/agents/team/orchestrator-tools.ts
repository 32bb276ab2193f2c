import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import type { Catalog } from '../catalog.ts';

export type MemberSummary = { id: string; name: string; description: string };

/** Members as the orchestrator sees them: one `- id: description` line each. */
export function describeMembers(catalog: Catalog, memberIds: readonly string[]): MemberSummary[] {
  return memberIds.map((id) => {
    const definition = catalog.agents.get(id) ?? catalog.teams.get(id);
    return { id, name: definition?.name ?? id, description: definition?.description ?? '' };
  });
}

function memberLines(members: readonly MemberSummary[]): string {
  return members.map((member) => `- ${member.id}: ${member.description}`).join('\n');
}

/** route mode: pick exactly one member. */
export function routeTool(members: readonly MemberSummary[]): LanguageModelV4FunctionTool {
  return {
    type: 'function',
    name: 'route_to_member',
    description: `Route the request to the single member best suited to answer it. Members:\n${memberLines(members)}`,
    inputSchema: {
      type: 'object',
      properties: {
        memberId: { type: 'string', enum: members.map((member) => member.id) },
        reason: { type: 'string', description: 'Why this member' },
      },
      required: ['memberId', 'reason'],
      additionalProperties: false,
    },
  };
}

/** coordinate mode: split the request into sub-tasks, one or more members each. */
export function delegateTool(members: readonly MemberSummary[]): LanguageModelV4FunctionTool {
  return {
    type: 'function',
    name: 'delegate_tasks',
    description: `Delegate sub-tasks of the request to members; independent tasks run in parallel. Members:\n${memberLines(members)}`,
    inputSchema: {
      type: 'object',
      properties: {
        tasks: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { memberId: { type: 'string', enum: members.map((member) => member.id) }, task: { type: 'string' } },
            required: ['memberId', 'task'],
            additionalProperties: false,
          },
        },
        reason: { type: 'string' },
      },
      required: ['tasks'],
      additionalProperties: false,
    },
  };
}

/** pipeline planning stages: the items the next (fan-out) stage works on. */
export const SUBMIT_PLAN_TOOL_NAME = 'submit_plan';
