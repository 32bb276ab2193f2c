import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { AgentDefinition } from '../agents/agent/agent-definition.ts';
import type { TeamDefinition } from '../agents/team/team-definition.ts';
import { PricesConfig } from '../models/price-table.ts';
import { ProvidersConfig } from '../models/provider-settings.ts';
import { McpServersConfig } from '../tools/mcp/mcp-config.ts';
import { jsonLineIndex } from './json-locations.ts';
import { MULTITASK_POLICIES } from '../agents/multitask-policy.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids use letters, digits, _ and - (at most 64)');

const AgentConfig = z.object({
  id,
  name: z.string().min(1).optional(),
  description: z.string().default(''),
  instructions: z.string().default('You are a helpful assistant.'),
  model: z.string().min(1).optional(),
  tools: z.array(z.string().min(1)).default([]),
  /** MCP servers (by name) whose every tool this agent gets. */
  mcpServers: z.array(z.string().min(1)).optional(),
  maxSteps: z.number().int().min(1).max(50).optional(),
  /** false: a run whose worker was lost while this agent worked is not resumed past it (ends `worker_lost`). */
  retry: z.boolean().optional(),
  /** Calls that wait for a person's approval: true for every tool, or the tool names. */
  requireApproval: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
  /** Double-texting: what a message for a session whose run is still going does. */
  multitask: z.enum(MULTITASK_POLICIES).optional(),
}).strict();

const TeamConfig = z.object({
  id,
  name: z.string().min(1).optional(),
  description: z.string().default(''),
  mode: z.enum(['route', 'coordinate', 'collaborate', 'round_robin', 'pipeline']),
  instructions: z.string().default('You lead a team. Decide who works on what, then give the final answer.'),
  model: z.string().min(1).optional(),
  members: z.array(z.string().min(1)).min(1),
  onMemberError: z.enum(['continue', 'fail']).optional(),
  maxMessages: z.number().int().min(1).max(1000).optional(),
  stopPhrase: z.string().min(1).optional(),
  stages: z.array(z.object({ name: z.string().min(1), members: z.array(z.string().min(1)).min(1), fanOut: z.boolean().optional() }).strict()).optional(),
  maxFanOut: z.number().int().min(1).max(20).optional(),
  multitask: z.enum(MULTITASK_POLICIES).optional(),
}).strict();

/** A key in the config file: the key itself or `sha256:<64 hex>` of it, its tenant, and limits of its own. */
const ApiKeyConfig = z.object({
  tenant: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'tenants use letters, digits, _, - and . (at most 64)'),
  key: z.string().min(16, 'keys are at least 16 characters (or sha256:<64 hex>)'),
  admin: z.boolean().optional(),
  rateLimit: z.string().optional().describe('e.g. 120/min'),
  maxConcurrentRuns: z.number().int().min(1).optional(),
  dailyTokenBudget: z.number().int().min(1).optional(),
}).strict();

/** The config file's shape: agents, teams, model providers, MCP servers and the price table. */
export const ConfigFile = z.object({
  defaultModel: z.string().min(1).optional(),
  agents: z.array(AgentConfig).default([]),
  teams: z.array(TeamConfig).default([]),
  providers: ProvidersConfig.optional(),
  mcpServers: McpServersConfig.optional(),
  prices: PricesConfig.optional(),
  apiKeys: z.array(ApiKeyConfig).optional(),
}).strict();

export type LoadedConfigFile = {
  path?: string;
  defaultModel?: string;
  agents: AgentDefinition[];
  teams: TeamDefinition[];
  raw: z.infer<typeof ConfigFile>;
  /** Line of a JSON path like `agents.0.tools.2`, for error messages. */
  lineOf(path: (string | number)[]): number | undefined;
};

export const DEFAULT_CONFIG_FILE = 'agentstream.config.json';

/** Reads `agentstream.config.json` (or the given path). No file: no extra agents. A bad file stops start-up with the line named. */
export function loadConfigFile(path: string | undefined, cwd = process.cwd()): LoadedConfigFile {
  const file = path ? resolve(cwd, path) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`Config file ${file} does not exist.`);
    return { agents: [], teams: [], raw: { agents: [], teams: [] }, lineOf: () => undefined };
  }
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const lines = jsonLineIndex(text);
  const lineOf = (segments: (string | number)[]) => lines.get(segments.join('.'));
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = lineOf(issue.path as (string | number)[]);
    throw new ConfigError(`${file}${where ? `:${where}` : ''}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const raw = parsed.data;
  return {
    path: file,
    defaultModel: raw.defaultModel,
    agents: raw.agents.map((agent) => ({ ...agent, name: agent.name ?? agent.id })),
    teams: raw.teams.map((team) => ({ ...team, name: team.name ?? team.id })),
    raw,
    lineOf,
  };
}

/** A config problem: the server refuses to start and prints this message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
