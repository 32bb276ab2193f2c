import type { RouteModule } from '../http/app.ts';
import { agUiRoutes } from './ag-ui/ag-ui-routes.ts';
import { aiSdkRoutes } from './ai-sdk-ui/ai-sdk-ui-routes.ts';
import { openAiChatRoutes } from './openai-chat/openai-chat-routes.ts';
import { seedRoutes } from './seeds/seed-routes.ts';

/** Route modules of every wire format besides the native API (seed dialects, AG-UI, AI SDK, OpenAI). */
export const protocolRoutes: RouteModule[] = [...seedRoutes, agUiRoutes, aiSdkRoutes, openAiChatRoutes];
