/**
 * The catalogue of error codes: every code a client can receive, in a response body (`{error: {code}}`), in a
 * `run.failed` / `tool.failed` / failed `agent.completed` event, or in a wire format's error frame. This file
 * imports nothing: `events/` (and through it `client/`) takes `ErrorCode` from here. The status says whose fault it is: 4xx the caller's, 5xx ours or upstream's.
 * `docs/errors.md` has one heading per code (a test checks it).
 */
export const ERROR_CODES = {
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  bad_request: { status: 400, message: 'The request is not valid' },
  invalid_last_event_id: { status: 400, message: 'Last-Event-ID must be a non-negative integer' },
  unauthorized: { status: 401, message: 'Missing or invalid API key' },
  admin_key_required: { status: 403, message: 'This route needs the admin key' },
  origin_not_allowed: { status: 403, message: 'Requests from this origin may not change anything here' },
  host_not_allowed: { status: 403, message: 'This server does not answer to that host name' },
  not_found: { status: 404, message: 'No such route' },
  not_ready: { status: 503, message: 'The store did not answer' },
  agent_not_found: { status: 404, message: 'Agent not found' },
  team_not_found: { status: 404, message: 'Team not found' },
  run_not_found: { status: 404, message: 'Run not found' },
  session_not_found: { status: 404, message: 'Session not found' },
  model_not_found: { status: 404, message: 'Model is not configured' },
  run_not_active: { status: 409, message: 'The run has already ended' },
  session_busy: { status: 409, message: 'The session has a run still going' },
  cancelled: { status: 409, message: 'The run was cancelled' },
  run_cancelled: { status: 409, message: 'The run was cancelled' },
  body_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json' },
  validation_failed: { status: 422, message: 'Some fields are invalid' },
  invalid_output_schema: { status: 422, message: 'The output schema is not a valid JSON Schema' },
  images_not_supported: { status: 422, message: 'The model cannot take images' },
  too_many_runs: { status: 429, message: 'Too many runs in progress; retry later' },
  rate_limited: { status: 429, message: 'Too many requests for this key; retry later' },
  token_budget_exceeded: { status: 429, message: 'This key has used its daily token budget' },
  too_many_streams: { status: 429, message: 'This client has too many streams open; close one or retry later' },
  tool_failed: { status: 500, message: 'The tool failed' },
  member_failed: { status: 500, message: 'A team member failed' },
  team_failed: { status: 502, message: 'No member of the team produced a result' },
  run_failed: { status: 500, message: 'The run failed' },
  simulated_error: { status: 500, message: 'A simulated failure (no model was called)' },
  internal: { status: 500, message: 'Internal error' },
  model_unavailable: { status: 502, message: 'Model provider did not respond' },
  upstream_error: { status: 502, message: 'The model provider returned an error' },
  output_schema_mismatch: { status: 502, message: 'The model\'s answer does not match the output schema' },
  upstream_auth: { status: 502, message: 'The model provider rejected the API key' },
  upstream_timeout: { status: 504, message: 'The model provider stalled' },
  shutting_down: { status: 503, message: 'The server is shutting down' },
  overloaded: { status: 503, message: 'The server is overloaded; retry later' },
  timeout: { status: 504, message: 'The run exceeded its time limit' },
  interrupted: { status: 500, message: 'The server stopped while the run was in progress' },
  executor_unavailable: { status: 503, message: 'Runs cannot be started now (the run queue is unreachable)' },
  worker_lost: { status: 500, message: 'The run could not be resumed after its worker was lost' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
