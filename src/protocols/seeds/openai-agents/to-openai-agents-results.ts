import type { JsonValue, RunEvent } from '../../../events/run-event.ts';
import { createOpenAiAgentsStream, toOpenAiAgentsFrames, type OpenAiAgentsContext } from './to-openai-agents-frames.ts';

/** The seed's `AgentResponse`, the answer of `POST /{agent}/run`. A failed run is `success: false`, still 200, as there. */
export type AgentResponse = {
  final_output: string | null;
  success: boolean;
  error: string | null;
  usage: JsonValue;
  response_id: string | null;
  session_id: string | null;
};

/** Folds a finished run into an `AgentResponse` through the stream's own frames, so the two always agree. */
export function toAgentResponse(events: readonly RunEvent[], context: OpenAiAgentsContext): AgentResponse {
  const stream = createOpenAiAgentsStream(context);
  const response: AgentResponse = { final_output: null, success: false, error: null, usage: null, response_id: events[0]?.runId ?? null, session_id: null };
  for (const event of events) {
    for (const frame of toOpenAiAgentsFrames(event, stream)) {
      if (frame.type === 'stream_complete') Object.assign(response, { final_output: frame.final_output, success: true, usage: frame.usage });
      if (frame.type === 'error') response.error = String(frame.message);
    }
  }
  response.session_id = stream.sessionId;
  return response;
}

/** The research bot's `ReportData` (its writer agent's output type). */
export type ReportData = { short_summary: string; markdown_report: string; follow_up_questions: string[] };

const MAX_SUMMARY_SENTENCES = 3;
const MAX_FOLLOW_UPS = 5;

/**
 * Reads a `ReportData` out of the research team's markdown report: the report itself, its first prose
 * paragraph cut to three sentences as the summary, and the questions it asks as follow-ups.
 */
export function toReportData(report: string): ReportData {
  const paragraphs = report.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean);
  const prose = paragraphs.find((paragraph) => !/^(#|[-*+]\s|\d+\.\s|_\()/.test(paragraph)) ?? paragraphs[0] ?? '';
  const sentences = prose.replace(/\s+/g, ' ').match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [];
  const questions = report.split('\n')
    .map((line) => line.replace(/^\s*([-*+]|\d+\.)\s+/, '').replace(/\*\*/g, '').trim())
    .filter((line) => line.endsWith('?'));
  return {
    short_summary: sentences.slice(0, MAX_SUMMARY_SENTENCES).join('').trim(),
    markdown_report: report,
    follow_up_questions: [...new Set(questions)].slice(0, MAX_FOLLOW_UPS),
  };
}
