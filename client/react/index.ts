// `agentstream-client/react`: React bindings (react is a peer dependency).
export { useAgentRun } from './use-agent-run.ts';
export type { ConnectionState, LiveRun, PendingApproval } from './use-agent-run.ts';
export { useRunFolder } from './use-run-folder.ts';
export type { RunFolder } from './use-run-folder.ts';
