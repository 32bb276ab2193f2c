import type { Catalog } from './catalog.ts';
import { getAgent, toolsFor } from './catalog.ts';
import type { ChatMessage } from './agent/agent-definition.ts';
import type { ClientTool, ClientToolResult } from './agent/client-tool.ts';
import type { OutputSchema } from './agent/structured-output.ts';
import type { ImageInput } from './agent/image-input.ts';
import { runAgent, type AgentResult } from './agent/run-agent.ts';
import { runTeam } from './team/run-team.ts';
import type { EmittedEvent, RunTarget, Usage } from '../events/run-event.ts';
import type { RunJournal } from './run-journal.ts';

export type RunTargetOptions = {
  catalog: Catalog;
  target: RunTarget;
  model: string;
  input: string;
  history: readonly ChatMessage[];
  emit: (event: EmittedEvent) => void;
  signal: AbortSignal;
  runId: string;
  priceUsage?: (model: string, usage: Usage) => Usage;
  /** MCP servers the request adds to every agent of the run (already checked against the allowlist). */
  mcpServers?: readonly string[];
  /** What earlier attempts of this run did; empty on a first attempt. */
  journal?: RunJournal;
  /** Tools the client runs itself and its results for them; a single agent's only (a team's members do not get them). */
  clientTools?: readonly ClientTool[];
  clientToolResults?: readonly ClientToolResult[];
  /** The final answer must be JSON valid against this schema (single agents; admission refuses it for teams). */
  outputSchema?: OutputSchema;
  /** Images sent with the input (single agents; admission checks the model takes images). */
  images?: readonly ImageInput[];
  /** Tool names whose calls wait for a person's approval, for every agent of the run (the request's `requireApproval`). */
  requireApproval?: readonly string[];
};

/** Runs an agent or a team to its answer, emitting every step. Throws on failure or abort. */
export async function runTarget(options: RunTargetOptions): Promise<AgentResult> {
  if (options.target.kind === 'team') return runTeam(options);
  const definition = getAgent(options.catalog, options.target.id);
  return runAgent({
    definition,
    agent: { id: definition.id, name: definition.name, role: 'agent', path: [] },
    model: options.catalog.models.resolve(options.model),
    modelName: options.model,
    tools: await toolsFor(options.catalog, definition, { mcpServers: options.mcpServers, signal: options.signal }),
    history: options.history,
    input: options.input,
    emit: options.emit,
    signal: options.signal,
    runId: options.runId,
    priceUsage: options.priceUsage,
    journal: options.journal,
    clientTools: options.clientTools,
    clientToolResults: options.clientToolResults,
    outputSchema: options.outputSchema,
    images: options.images,
    requireApproval: options.requireApproval,
  });
}
