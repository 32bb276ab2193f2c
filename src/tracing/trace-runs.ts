import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { RunObserver } from '../bus/observed-bus.ts';
import type { RunEvent } from '../events/run-event.ts';

// Attribute names of the OpenTelemetry GenAI semantic conventions (development status, v1.37+):
// https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-agent-spans/ and …/gen-ai-spans/.
const OPERATION = 'gen_ai.operation.name';
const AGENT_NAME = 'gen_ai.agent.name';
const AGENT_ID = 'gen_ai.agent.id';
const REQUEST_MODEL = 'gen_ai.request.model';
const PROVIDER = 'gen_ai.provider.name';
const CONVERSATION = 'gen_ai.conversation.id';
const INPUT_TOKENS = 'gen_ai.usage.input_tokens';
const OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
const TOOL_NAME = 'gen_ai.tool.name';
const TOOL_CALL_ID = 'gen_ai.tool.call.id';
const TOOL_TYPE = 'gen_ai.tool.type';
const ERROR_TYPE = 'error.type';

/** One agent's (or member's, or the team's own voice's) open work inside a run. */
type AgentSpans = { span: Span; model?: string; step?: Span; lastStep?: Span; boundary: number };
type RunSpans = { root: Span; model: string; agents: Map<string, AgentSpans>; tools: Map<string, Span> };

const key = (path: readonly string[]) => path.join('\u0000');

/**
 * Derives a run's spans from its events, so the agent loop carries no tracing code:
 * run (`invoke_workflow`) → agent or member (`invoke_agent`, nested by team path) → model call (`chat`, one per
 * model step, ended by its `usage` event) → tool call (`execute_tool`). Times are the events' own timestamps.
 */
export function traceRuns(tracer: Tracer): RunObserver {
  const runs = new Map<string, RunSpans>();
  return (event: RunEvent) => {
    const at = Date.parse(event.ts);
    if (event.type === 'run.started') {
      const root = tracer.startSpan(`invoke_workflow ${event.target.id}`, {
        startTime: at,
        attributes: { [OPERATION]: 'invoke_workflow', [AGENT_NAME]: event.target.id, [REQUEST_MODEL]: event.model, 'agentstream.run.id': event.runId, 'agentstream.target.kind': event.target.kind, ...(event.input.sessionId ? { [CONVERSATION]: event.input.sessionId } : {}) },
      });
      runs.set(event.runId, { root, model: event.model, agents: new Map(), tools: new Map() });
      return;
    }
    const run = runs.get(event.runId);
    if (!run) return;
    const path = event.agent.path;
    switch (event.type) {
      case 'agent.started': {
        const parent = parentOf(run, path);
        const model = event.model ?? run.model;
        const span = tracer.startSpan(`invoke_agent ${event.agent.name}`, {
          startTime: at, attributes: { [OPERATION]: 'invoke_agent', [AGENT_NAME]: event.agent.name, [AGENT_ID]: event.agent.id, [REQUEST_MODEL]: model, 'agentstream.agent.role': event.agent.role, 'agentstream.agent.path': path.join('/') },
        }, trace.setSpan(context.active(), parent));
        run.agents.set(key(path), { span, model, boundary: at });
        return;
      }
      case 'reasoning.delta': case 'message.delta':
        openStep(tracer, run, path, at);
        return;
      case 'tool.started': {
        const agent = run.agents.get(key(path));
        // The model call that asked for the tool (its `usage` may already have closed it).
        const parent = agent?.step ?? agent?.lastStep ?? agent?.span ?? run.root;
        run.tools.set(event.toolCallId, tracer.startSpan(`execute_tool ${event.toolName}`, {
          startTime: at, attributes: { [OPERATION]: 'execute_tool', [TOOL_NAME]: event.toolName, [TOOL_CALL_ID]: event.toolCallId, [TOOL_TYPE]: 'function' },
        }, trace.setSpan(context.active(), parent)));
        return;
      }
      case 'tool.completed': case 'tool.failed': {
        const span = run.tools.get(event.toolCallId);
        if (!span) return;
        run.tools.delete(event.toolCallId);
        if (event.type === 'tool.failed') {
          span.setAttribute(ERROR_TYPE, event.error.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
        }
        span.end(at);
        const agent = run.agents.get(key(path));
        if (agent) agent.boundary = at;
        return;
      }
      case 'usage': {
        const step = openStep(tracer, run, path, at);
        const agent = run.agents.get(key(path));
        if (!step || !agent) return;
        step.setAttributes({ [INPUT_TOKENS]: event.usage.inputTokens, [OUTPUT_TOKENS]: event.usage.outputTokens });
        step.end(at);
        agent.lastStep = step;
        agent.step = undefined;
        agent.boundary = at;
        return;
      }
      case 'agent.completed': {
        const agent = run.agents.get(key(path));
        if (!agent) return;
        agent.step?.end(at);
        agent.span.setAttributes({ [INPUT_TOKENS]: event.usage.inputTokens, [OUTPUT_TOKENS]: event.usage.outputTokens });
        if (event.error) {
          agent.span.setAttribute(ERROR_TYPE, event.error.code);
          agent.span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
        }
        agent.span.end(at);
        run.agents.delete(key(path));
        return;
      }
      case 'run.completed': case 'run.failed': case 'run.cancelled': {
        // Whatever is still open (a cancelled member, a tool that never answered) ends with the run.
        for (const span of run.tools.values()) span.end(at);
        for (const agent of run.agents.values()) {
          agent.step?.end(at);
          agent.span.end(at);
        }
        if (event.usage) run.root.setAttributes({ [INPUT_TOKENS]: event.usage.inputTokens, [OUTPUT_TOKENS]: event.usage.outputTokens });
        if (event.type === 'run.failed') {
          run.root.setAttribute(ERROR_TYPE, event.error.code);
          run.root.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
        } else if (event.type === 'run.cancelled') {
          run.root.setAttribute(ERROR_TYPE, 'cancelled');
        }
        run.root.end(at);
        runs.delete(event.runId);
        return;
      }
      case 'message.completed': case 'team.routed': case 'progress':
        return;
    }
  };
}

/** The span an agent at `path` nests under: the nearest enclosing agent still open, else the run. */
function parentOf(run: RunSpans, path: readonly string[]): Span {
  for (let length = path.length - 1; length >= 0; length -= 1) {
    const agent = run.agents.get(key(path.slice(0, length)));
    if (agent) return agent.span;
  }
  return run.root;
}

/** The agent's model call in progress, opened at its last boundary (start, previous step, last tool result) if needed. */
function openStep(tracer: Tracer, run: RunSpans, path: readonly string[], at: number): Span | undefined {
  const agent = run.agents.get(key(path));
  if (!agent) return undefined;
  if (!agent.step) {
    const model = agent.model ?? run.model;
    agent.step = tracer.startSpan(`chat ${model}`, {
      startTime: Math.min(agent.boundary, at), attributes: { [OPERATION]: 'chat', [REQUEST_MODEL]: model, [PROVIDER]: model.includes(':') ? model.split(':')[0] : model },
    }, trace.setSpan(context.active(), agent.span));
  }
  return agent.step;
}
