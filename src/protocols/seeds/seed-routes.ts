import type { RouteModule } from '../../http/app.ts';

/** The five seed dialects' routes (Agno multi-agent, Dedalus, AutoGen, OpenAI Agents, Agno chat). */
export const seedRoutes: RouteModule[] = [];
