import { AppError } from '../../errors/app-error.ts';
import type { Tool } from '../define-tool.ts';
import type { McpConnection, McpToolInfo } from './mcp-connection.ts';
import { mcpToolName } from './mcp-tool-name.ts';


/** Bridges one MCP tool into an agent tool: the server's JSON Schema is the parameters; the server validates. */
export function toMcpTool(connection: McpConnection, info: McpToolInfo): Tool {
  return {
    name: mcpToolName(connection.name, info.name),
    description: info.description,
    parameters: info.inputSchema,
    source: `mcp:${connection.name}`,
    parse(input) {
      // MCP sends arguments as an object; the schema itself is the server's to enforce.
      if (input === undefined || input === null) return {};
      if (typeof input !== 'object' || Array.isArray(input)) throw new AppError('bad_request', { message: `Arguments for ${info.name} must be a JSON object.` });
      return input;
    },
    execute: (input, context) => connection.callTool(info.name, input as Record<string, unknown>, context.signal),
  };
}
