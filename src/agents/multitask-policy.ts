/**
 * Double-texting: what a new message does to a session whose run is still going (queued, running or awaiting input).
 * `reject`: 409 `session_busy`. `enqueue`: accepted, executes once the runs before it ended, in order.
 * `interrupt`: the running run is cancelled, its partial output stays in the history, the new one starts.
 * `rollback`: the running run is cancelled and its turns leave the history; the new one starts.
 * Chosen per request (`multitask` on `POST /v1/runs`), else per agent or team, else by the route, else `reject`.
 */
export const MULTITASK_POLICIES = ['reject', 'enqueue', 'interrupt', 'rollback'] as const;
export type MultitaskPolicy = (typeof MULTITASK_POLICIES)[number];

/** The default when neither the request, the agent or team, nor the route says. */
export const DEFAULT_MULTITASK: MultitaskPolicy = 'reject';
