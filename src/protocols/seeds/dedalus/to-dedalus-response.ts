import type { JsonValue, PublicError, RunEvent } from '../../../events/run-event.ts';
import { toSnakeUsage, type SnakeUsage } from '../snake-usage.ts';

/** One tool call of a run, as `POST /api/agent/execute` lists it. */
export type DedalusToolCall = { tool_call_id: string; tool_name: string; tool_input: JsonValue; result: JsonValue; is_error: boolean; error?: PublicError };

/** The document's `AgentResponse`: the non-streaming answer of `POST /api/agent/execute`. */
export type DedalusAgentResponse = {
  success: boolean;
  output: string | null;
  model: string | null;
  mcp_servers: string[];
  tool_calls: DedalusToolCall[];
  usage: SnakeUsage | null;
  run_id: string;
  session_id: string | null;
  error: string | null;
  error_code: string | null;
};

/** Folds a finished run's events into one `AgentResponse`, from the same events the stream renders. */
export function toDedalusResponse(events: readonly RunEvent[], options: { mcpServers: string[] }): DedalusAgentResponse {
  const response: DedalusAgentResponse = {
    success: false, output: null, model: null, mcp_servers: options.mcpServers, tool_calls: [], usage: null,
    run_id: events[0]?.runId ?? '', session_id: null, error: null, error_code: null,
  };
  const calls = new Map<string, DedalusToolCall>();
  for (const event of events) {
    if (event.type === 'run.started') {
      response.model = event.model;
      response.session_id = event.input.sessionId ?? null;
    } else if (event.type === 'tool.started') {
      const call: DedalusToolCall = { tool_call_id: event.toolCallId, tool_name: event.toolName, tool_input: event.args, result: null, is_error: false };
      calls.set(event.toolCallId, call);
      response.tool_calls.push(call);
    } else if (event.type === 'tool.completed') {
      const call = calls.get(event.toolCallId);
      if (call) call.result = event.result;
    } else if (event.type === 'tool.failed') {
      const call = calls.get(event.toolCallId);
      if (call) Object.assign(call, { is_error: true, error: event.error });
    } else if (event.type === 'run.completed') {
      Object.assign(response, { success: true, output: event.output, usage: toSnakeUsage(event.usage) });
    } else if (event.type === 'run.failed') {
      Object.assign(response, { error: event.error.message, error_code: event.error.code, usage: event.usage ? toSnakeUsage(event.usage) : null });
    } else if (event.type === 'run.cancelled') {
      Object.assign(response, { error: `The run was cancelled: ${event.reason}`, error_code: 'cancelled' });
    }
  }
  return response;
}
