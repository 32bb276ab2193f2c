import { useEffect, useState } from 'react';
import type { AgentInfo, ModelList, TeamInfo } from '../../../client/api-types.ts';
import { client } from '../api.ts';

/** What the server can run. */
export type Catalog = { agents: AgentInfo[]; teams: TeamInfo[]; models: ModelList };

let cached: Promise<Catalog> | undefined;

/** Agents, teams and models from the server, fetched once per page load. */
export function useCatalog(): { catalog?: Catalog; error?: string } {
  const [state, setState] = useState<{ catalog?: Catalog; error?: string }>({});
  useEffect(() => {
    let isCurrent = true;
    cached ??= client.getCatalog();
    cached.then(
      (catalog) => isCurrent && setState({ catalog }),
      (error: Error) => {
        cached = undefined;
        if (isCurrent) setState({ error: error.message });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, []);
  return state;
}
