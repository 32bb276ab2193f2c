import { useAgentRun, type LiveRun } from '../../../client/react/index.ts';
import { client } from '../api.ts';

export type { ConnectionState, LiveRun } from '../../../client/react/index.ts';

/** The UI's live run: the client package's `useAgentRun` bound to the UI's one client. */
export function useLiveRun(): LiveRun {
  return useAgentRun(client);
}
