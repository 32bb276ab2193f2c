import { resolveTarget } from '../../../agents/catalog.ts';
import type { RouteModule } from '../../app.ts';
import { streamRun } from '../../stream-run.ts';
import { parseAgUiInput } from '../../../protocols/ag-ui/parse-ag-ui-input.ts';
import { createAgUiRenderer } from '../../../protocols/ag-ui/ag-ui-renderer.ts';
import { callerOf, readScopeOf } from '../../access/request-access.ts';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';
import type { RunAgentInput } from '@ag-ui/core';
import { parseInput } from '../../../errors/parse-input.ts';
import { inputOfResume, runIdOfResume } from '../../../protocols/ag-ui/ag-ui-interrupts.ts';
import { waitsForInput } from '../../../events/run-event.ts';


/**
 * AG-UI over HTTP + SSE (https://docs.ag-ui.com): `POST /agui/{agentOrTeam}` takes a `RunAgentInput` and
 * answers with the run as AG-UI events. The thread is our session `agui:<threadId>`, so a thread's runs
 * share a history. An AG-UI client stops a run by aborting the request, so a dropped stream cancels the run.
 * Errors found before the stream opens (unknown agent, invalid input) are JSON with a 4xx status.
 * Human in the loop: a run that pauses finishes its AG-UI run with an interrupt outcome; a `RunAgentInput` whose
 * `resume` answers those interrupts continues the same run (same events, same seq) as a new AG-UI run.
 */
export const agUiRoutes: RouteModule = (deps) => async (app) => {
  const { runs, catalog, config, log } = deps;
  app.post<{ Params: { target: string } }>('/agui/:target', {
    schema: { tags: ['protocols'], summary: 'AG-UI: run an agent or team from a RunAgentInput; streams AG-UI events (SSE)' },
  }, async (request, reply) => {
    const target = resolveTarget(catalog, request.params.target);
    const resume = (request.body as { resume?: unknown } | null)?.resume;
    if (Array.isArray(resume) && resume.length > 0) {
      const input = parseInput(RunAgentInputSchema, request.body) as RunAgentInput;
      const runId = runIdOfResume(input.resume!);
      const tenant = readScopeOf(request);
      const paused = await runs.get(runId, tenant);
      const answered = await runs.input(runId, inputOfResume(input.resume!, await runs.pending(paused)), tenant);
      const renderer = createAgUiRenderer({ threadId: input.threadId, runId: input.runId, state: input.state, continuation: true });
      // From the answer on: the AG-UI run this request opens shows what the paused run does next.
      return streamRun(reply, { runs, run: answered.run, afterSeq: answered.run.lastSeq - 1, renderer, onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log, stopAt: waitsForInput });
    }
    const parsed = parseAgUiInput(request.body);
    const { input, text, history, model } = parsed;
    const run = await runs.start({
      ...callerOf(request), target, input: text, history, model, sessionId: `agui:${input.threadId}`,
      metadata: { protocol: 'ag-ui', threadId: input.threadId, runId: input.runId },
      clientTools: parsed.clientTools, clientToolResults: parsed.clientToolResults, images: parsed.images,
      // The AG-UI client holds the thread's messages and may start a new run on it while one goes on: the newest wins.
      routeMultitask: 'interrupt',
    });
    const renderer = createAgUiRenderer({ threadId: input.threadId, runId: input.runId, state: input.state });
    return streamRun(reply, { runs, run, afterSeq: 0, renderer, onDisconnect: 'cancel', heartbeatMs: config.heartbeatMs, stalledReaderMs: config.stalledReaderMs, log, stopAt: waitsForInput });
  });
};
