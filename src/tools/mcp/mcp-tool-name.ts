/**
 * The name agents and models see: `<server>__<tool>`, so two servers' tools never clash. Characters
 * model APIs refuse in tool names become `_`, and the name is cut to their 64-character limit.
 */
export function mcpToolName(server: string, tool: string): string {
  return `${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}
