import type { LanguageModelV4FunctionTool, LanguageModelV4ToolChoice } from '@ai-sdk/provider';
import { composeAnswer, isGreeting } from './compose-answer.ts';
import type { DemoDecision } from './demo-decision.ts';
import { extractSections, textBeforeSections } from './extract-sections.ts';
import { extractTopic } from './extract-topic.ts';
import type { PromptView } from './read-prompt.ts';
import { detectRole } from './role-voices.ts';
import { sampleInput } from './sample-input.ts';
import { decideTeamCall } from './team-rules.ts';
import { joinList } from './text-tools.ts';
import { decideToolCalls } from './tool-rules.ts';

/**
 * What the demo model does in one step, in this order:
 * 1. tool results after the last user message: answer from them (never call a tool twice);
 * 2. `## Result from <member>` sections in the prompt: answer with a synthesis;
 * 3. a team tool is offered: call it (`decideTeamCall`);
 * 4. an ordinary rule matches an offered tool, or the instructions name exactly one: call it (`decideToolCalls`);
 * 5. `toolChoice` demands a tool: call the first allowed one with a schema-valid input;
 * 6. otherwise answer directly.
 */
export function decideStep(view: PromptView, offered: readonly LanguageModelV4FunctionTool[], toolChoice?: LanguageModelV4ToolChoice): DemoDecision {
  const tools = allowedTools(offered, toolChoice);
  const request = textBeforeSections(view.userText);
  if (view.toolResults.length > 0) return answer(view, resultsThinking(view));
  const sections = [view.system, view.userText].flatMap((text) => extractSections(text));
  if (sections.length > 0) {
    const members = sections.slice(0, 5).map((section) => section.member);
    if (sections.length > 5) members.push(`${sections.length - 5} more`);
    return answer(view, `I have ${sections.length} member contribution${sections.length === 1 ? '' : 's'} to combine, from ${joinList(members)}. I will summarise each in one sentence and close with what they add up to.`);
  }
  const decided = decideTeamCall(request, tools) ?? decideToolCalls(request, tools, view.system);
  if (decided) return decided;
  if ((toolChoice?.type === 'required' || toolChoice?.type === 'tool') && tools.length > 0) {
    const tool = tools[0];
    return {
      kind: 'tool-calls',
      thinking: `No rule of mine picks a tool for this request, but a tool call is required, so I will call ${tool.name} with the simplest valid input.`,
      calls: [{ toolName: tool.name, input: sampleInput(tool.inputSchema, extractTopic(request) || 'demo') }],
    };
  }
  return answer(view, directThinking(view, tools.length > 0));
}

function allowedTools(offered: readonly LanguageModelV4FunctionTool[], toolChoice?: LanguageModelV4ToolChoice): readonly LanguageModelV4FunctionTool[] {
  if (toolChoice?.type === 'none') return [];
  if (toolChoice?.type === 'tool') return offered.filter((tool) => tool.name === toolChoice.toolName);
  return offered;
}

function answer(view: PromptView, thinking: string): DemoDecision {
  return { kind: 'answer', thinking, text: composeAnswer(view) };
}

function resultsThinking(view: PromptView): string {
  const names = [...new Set(view.toolResults.map((result) => result.toolName))];
  const failed = view.toolResults.some((result) => result.isError) ? ' One call failed, so I will say what is missing.' : '';
  return `I have the result${view.toolResults.length === 1 ? '' : 's'} from ${joinList(names)} now.${failed} I will answer from ${view.toolResults.length === 1 ? 'it' : 'them'} and quote what came back, without calling ${names.length === 1 ? 'that tool' : 'those tools'} again.`;
}

function directThinking(view: PromptView, hasTools: boolean): string {
  if (isGreeting(view.userText)) return 'The user is greeting me. I will say plainly what I am, a simulated demo model, and what I can do.';
  const role = detectRole(view.system);
  const topic = extractTopic(textBeforeSections(view.userText)) || 'the request';
  const why = hasTools ? 'None of the offered tools fits it' : 'No tools are needed for this';
  const as = role === 'assistant' ? '' : ` as the ${role}`;
  if (view.transcript.length > 0) {
    const speakers = joinList([...new Set(view.transcript.map((turn) => turn.member))]);
    return `The request is about ${topic}. ${speakers} spoke before me in this chat, so I will build on what they said${as}.`;
  }
  return `The request is about ${topic}. ${why}, so I will answer directly${as}, keeping it short and concrete.`;
}
