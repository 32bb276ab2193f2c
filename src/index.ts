// The public entry point (`import … from "agentstream"`): every line here is an API decision.
export { defineTool, ToolInputError } from './tools/define-tool.ts';
export type { Tool, ToolContext, ToolSpec, JsonSchema } from './tools/define-tool.ts';
export { defineAgent, defineTeam } from './config/define-app.ts';
export type { AgentSpec, TeamSpec, DefinedAgent, DefinedTeam, AppDefinition } from './config/define-app.ts';
export { createServer } from './start-server.ts';
export type { CreateServerOptions } from './start-server.ts';
export type { Server } from './create-server.ts';
export type { ServerConfig } from './config/server-config.ts';
export type { RunEvent, RunEventOf, AgentRef, JsonValue } from './events/run-event.ts';

/** Types a config module's default export: `export default defineConfig({ tools, agents, teams })`. */
export function defineConfig<T extends import('./config/define-app.ts').AppDefinition>(config: T): T {
  return config;
}
