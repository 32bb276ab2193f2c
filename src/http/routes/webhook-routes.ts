import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { readScopeOf } from '../access/request-access.ts';
import { docSchema, WebhookDeliveriesDoc } from '../schemas.ts';

/** A run's webhook deliveries with every attempt (status code, error, duration, time). */
export function webhookRoutes(deps: Pick<AppDeps, 'runs' | 'store'>) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { runId: string } }>('/v1/runs/:runId/webhooks', {
      schema: { tags: ['runs'], summary: 'The run\'s webhook deliveries and their attempts', operationId: 'listRunWebhooks', response: { 200: docSchema(WebhookDeliveriesDoc, 'output') } },
    }, async (request) => {
      // Scoped through the run: another tenant's run is a 404 here too.
      const run = await deps.runs.get(request.params.runId, readScopeOf(request));
      const delivery = await deps.store.getWebhookDelivery(run.id);
      return { runId: run.id, deliveries: delivery ? [delivery] : [] };
    });
  };
}
