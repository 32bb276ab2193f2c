import type { RouteModule } from '../app.ts';
import { a2aRoutes } from './protocols/a2a-routes.ts';
import { agUiRoutes } from './protocols/ag-ui-routes.ts';
import { aiSdkRoutes } from './protocols/ai-sdk-ui-routes.ts';
import { mcpServerRoutes } from './protocols/mcp-server-routes.ts';
import { openAiChatRoutes } from './protocols/openai-chat-routes.ts';
import { seedRoutes } from './protocols/seeds/seed-routes.ts';

/** Route modules of every wire format besides the native API (seed dialects, AG-UI, AI SDK, OpenAI chat and Responses, the MCP server, A2A). */
export const protocolRoutes: RouteModule[] = [...seedRoutes, agUiRoutes, aiSdkRoutes, openAiChatRoutes, mcpServerRoutes, a2aRoutes];
