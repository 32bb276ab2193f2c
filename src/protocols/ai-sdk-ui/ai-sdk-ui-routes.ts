import type { RouteModule } from '../../http/app.ts';

/** Routes of this wire format (placeholder until it is implemented). */
export const aiSdkRoutes: RouteModule = () => async () => {};
