/**
 * Which tool calls of an agent wait for a person's approval: the agent's own setting (`true` for every tool, or
 * names) and the names the run's request added. A tool defined with `requireApproval` always waits (see the tool).
 */
export function approvalRule(agentSetting: boolean | readonly string[] | undefined, runNames: readonly string[] | undefined): ((toolName: string) => boolean) | undefined {
  if (agentSetting === true) return () => true;
  const names = new Set([...(Array.isArray(agentSetting) ? agentSetting : []), ...(runNames ?? [])]);
  return names.size === 0 ? undefined : (toolName) => names.has(toolName);
}
