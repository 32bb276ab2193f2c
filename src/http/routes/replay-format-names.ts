/**
 * The wire formats `GET /v1/runs/{runId}/events?format=` renders a stored run in (see replay-formats.ts). A file
 * of its own, importing nothing: the request schemas read it without pulling in every renderer.
 */
export const REPLAY_FORMATS = [
  'native', 'ag-ui', 'ai-sdk-ui', 'openai-chat', 'openai-responses',
  'agno-chat', 'agno-multi', 'dedalus', 'autogen', 'openai-agents',
] as const;

export type ReplayFormat = (typeof REPLAY_FORMATS)[number];
