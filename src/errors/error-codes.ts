/**
 * The catalogue of error codes. The status says whose fault it is: 4xx the caller's, 5xx ours or upstream's.
 * `docs/errors.md` has one heading per code (a test checks it).
 */
export const ERROR_CODES = {
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  bad_request: { status: 400, message: 'The request is not valid' },
  invalid_last_event_id: { status: 400, message: 'Last-Event-ID must be a non-negative integer' },
  unauthorized: { status: 401, message: 'Missing or invalid API key' },
  not_found: { status: 404, message: 'No such route' },
  agent_not_found: { status: 404, message: 'Agent not found' },
  team_not_found: { status: 404, message: 'Team not found' },
  run_not_found: { status: 404, message: 'Run not found' },
  session_not_found: { status: 404, message: 'Session not found' },
  model_not_found: { status: 404, message: 'Model is not configured' },
  run_not_active: { status: 409, message: 'The run has already ended' },
  body_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json' },
  validation_failed: { status: 422, message: 'Some fields are invalid' },
  too_many_runs: { status: 429, message: 'Too many runs in progress; retry later' },
  too_many_streams: { status: 429, message: 'This client has too many streams open; close one or retry later' },
  tool_failed: { status: 500, message: 'The tool failed' },
  member_failed: { status: 500, message: 'A team member failed' },
  team_failed: { status: 502, message: 'No member of the team produced a result' },
  internal: { status: 500, message: 'Internal error' },
  model_unavailable: { status: 502, message: 'Model provider did not respond' },
  upstream_error: { status: 502, message: 'The model provider returned an error' },
  upstream_auth: { status: 502, message: 'The model provider rejected the API key' },
  upstream_timeout: { status: 504, message: 'The model provider stalled' },
  shutting_down: { status: 503, message: 'The server is shutting down' },
  overloaded: { status: 503, message: 'The server is overloaded; retry later' },
  timeout: { status: 504, message: 'The run exceeded its time limit' },
  interrupted: { status: 500, message: 'The server stopped while the run was in progress' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
