import type { RouteModule } from '../../../app.ts';
import { agnoChatRoutes } from './agno-chat-routes.ts';
import { agnoMultiRoutes } from './agno-multi-routes.ts';
import { autogenRoutes } from './autogen-routes.ts';
import { dedalusRoutes } from './dedalus-routes.ts';
import { openAiAgentsRoutes } from './openai-agents-routes.ts';

/** The five seed dialects' routes (Agno multi-agent, Dedalus, AutoGen, OpenAI Agents, Agno chat). See docs/protocols/seeds.md. */
export const seedRoutes: RouteModule[] = [agnoMultiRoutes, dedalusRoutes, autogenRoutes, openAiAgentsRoutes, agnoChatRoutes];
