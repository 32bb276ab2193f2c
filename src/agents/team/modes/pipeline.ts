import { z } from 'zod';
import { defineTool } from '../../../tools/define-tool.ts';
import type { PipelineStage } from '../team-definition.ts';
import { emitTeamAnswer } from '../emit-answer.ts';
import { SUBMIT_PLAN_TOOL_NAME } from '../orchestrator-tools.ts';
import { runMembersInParallel, type MemberWork } from '../run-member.ts';
import { formatResults } from '../synthesize.ts';
import type { MemberOutcome, TeamContext } from '../team-context.ts';
import { assertUsableOutcome } from '../team-failures.ts';

const DEFAULT_MAX_FAN_OUT = 5;

/**
 * pipeline: fixed stages in order; a stage's members run in parallel and its output feeds the next stage.
 * A fan-out stage runs one copy of its member per item the previous stage planned (planner -> N searches -> writer).
 */
export async function runPipelineMode(context: TeamContext): Promise<string> {
  const stages = context.team.stages ?? [];
  const maxFanOut = context.team.maxFanOut ?? DEFAULT_MAX_FAN_OUT;
  let stageInput = context.run.input;
  let outcomes: MemberOutcome[] = [];
  let previousPlan: string[] = [];

  for (const [index, stage] of stages.entries()) {
    const next = stages[index + 1];
    const plan: string[] = [];
    const planTool = next?.fanOut ? createPlanTool(plan, maxFanOut) : undefined;
    const works = stage.fanOut ? fanOutWorks(stage, planItemsOf(outcomes, previousPlan), maxFanOut, context.run.input) : stage.members.map((memberId) => ({
      memberId, key: memberId, task: stageInput,
      extraTools: planTool ? [planTool] : undefined,
      extraInstructions: planTool ? `Call ${SUBMIT_PLAN_TOOL_NAME} with at most ${maxFanOut} items for the next stage (${next!.name}).` : undefined,
    }));
    context.emit({
      type: 'team.routed', mode: 'pipeline', memberIds: works.map((work) => work.key),
      reason: `Stage ${index + 1} of ${stages.length}: ${stage.name}${stage.fanOut ? ` (fan-out over ${works.length} item${works.length === 1 ? '' : 's'})` : ''}`,
      task: works.length === 1 ? works[0].task : works.map((work) => work.task).join(' | '), agent: context.ref,
    });
    outcomes = await runMembersInParallel(context, works);
    // A stage with no result leaves the next stage nothing to work on: the pipeline stops here, failed.
    assertUsableOutcome(context, outcomes, ` at stage ${index + 1} (${stage.name})`);
    previousPlan = plan;
    context.emit({ type: 'progress', percent: Math.round(((index + 1) / stages.length) * 100), message: `Stage ${stage.name} done`, agent: context.ref });
    stageInput = `${context.run.input}\n\n${formatResults(outcomes)}`;
  }
  const answer = outcomes.filter((outcome) => !outcome.error).map((outcome) => outcome.output).join('\n\n');
  emitTeamAnswer(context, answer);
  return answer;
}

function planItemsOf(outcomes: readonly MemberOutcome[], submitted: readonly string[]): string[] {
  if (submitted.length > 0) return [...submitted];
  // The planner answered in prose instead of calling the tool: take its list lines.
  const lines = outcomes.flatMap((outcome) => outcome.output.split('\n'));
  return lines.map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim()).filter((line, index) => line !== '' && /^\s*(?:[-*•]|\d+[.)])\s+/.test(lines[index]));
}

function fanOutWorks(stage: PipelineStage, items: string[], maxFanOut: number, input: string): MemberWork[] {
  const memberId = stage.members[0];
  const chosen = (items.length > 0 ? items : [input]).slice(0, maxFanOut);
  return chosen.map((item, index) => ({ memberId, key: `${memberId}#${index + 1}`, task: item }));
}

function createPlanTool(plan: string[], maxItems: number) {
  return defineTool({
    source: 'builtin',
    name: SUBMIT_PLAN_TOOL_NAME,
    description: `Submit the plan: the items the next stage works on, one task each (at most ${maxItems}).`,
    inputSchema: z.object({ items: z.array(z.string().min(1).max(500)).min(1).max(maxItems) }),
    // It only fills this run's plan: a resumed run calls it again to rebuild the plan.
    pure: true,
    execute: ({ items }) => {
      plan.splice(0, plan.length, ...items);
      return { accepted: items.length, items };
    },
  });
}
