import type { RouteModule } from '../../http/app.ts';
import { agnoChatRoutes } from './agno-chat/agno-chat-routes.ts';
import { agnoMultiRoutes } from './agno-multi/agno-multi-routes.ts';
import { autogenRoutes } from './autogen/autogen-routes.ts';
import { dedalusRoutes } from './dedalus/dedalus-routes.ts';
import { openAiAgentsRoutes } from './openai-agents/openai-agents-routes.ts';

/** The five seed dialects' routes (Agno multi-agent, Dedalus, AutoGen, OpenAI Agents, Agno chat). See docs/protocols/seeds.md. */
export const seedRoutes: RouteModule[] = [agnoMultiRoutes, dedalusRoutes, autogenRoutes, openAiAgentsRoutes, agnoChatRoutes];
