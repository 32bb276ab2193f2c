import type { RouteModule } from '../http/app.ts';

/** Route modules of every wire format besides the native API (seed dialects, AG-UI, AI SDK, OpenAI). */
export const protocolRoutes: RouteModule[] = [];
