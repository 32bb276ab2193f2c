import type { FastifyInstance } from 'fastify';
import { parseInput } from '../../errors/parse-input.ts';
import type { ScheduleRecord } from '../../store/store.ts';
import type { Schedules } from '../../runs/schedules/schedules.ts';
import { readScopeOf, tenantOf } from '../access/request-access.ts';
import { CreateScheduleBody, docSchema, ScheduleDoc, ScheduleListDoc, UpdateScheduleBody } from '../schemas.ts';

/** Schedules: runs of an agent or a team on a cron, tenant-scoped like runs (another tenant's schedule is a 404). */
export function scheduleRoutes(deps: { schedules: Schedules }) {
  const { schedules } = deps;
  const answer = { 'application/json': { schema: docSchema(ScheduleDoc, 'output') } };
  return async (app: FastifyInstance) => {
    app.post('/v1/schedules', {
      schema: { tags: ['schedules'], summary: 'Create a schedule: runs of an agent or a team on a cron, in a time zone', operationId: 'createSchedule', body: docSchema(CreateScheduleBody), response: { 201: { description: 'The schedule, with its next slot', content: answer } } },
    }, async (request, reply) => {
      const body = parseInput(CreateScheduleBody, request.body);
      const target = body.team ? { kind: 'team' as const, id: body.team } : { kind: 'agent' as const, id: body.agent! };
      const schedule = await schedules.create({ target, input: body.input, cron: body.cron, timezone: body.timezone, sessionId: body.sessionId, enabled: body.enabled }, tenantOf(request));
      return reply.status(201).send(publicSchedule(schedule));
    });
    app.get('/v1/schedules', { schema: { tags: ['schedules'], summary: 'List schedules, oldest first', operationId: 'listSchedules', response: { 200: docSchema(ScheduleListDoc, 'output') } } }, async (request) => {
      return { schedules: (await schedules.list(readScopeOf(request))).map(publicSchedule) };
    });
    app.get<{ Params: { id: string } }>('/v1/schedules/:id', { schema: { tags: ['schedules'], summary: 'A schedule', operationId: 'getSchedule', response: { 200: docSchema(ScheduleDoc, 'output') } } }, async (request) => {
      return publicSchedule(await schedules.get(request.params.id, readScopeOf(request)));
    });
    app.patch<{ Params: { id: string } }>('/v1/schedules/:id', {
      schema: { tags: ['schedules'], summary: 'Change a schedule\'s input, cron, time zone, session or enabled', operationId: 'updateSchedule', body: docSchema(UpdateScheduleBody), response: { 200: docSchema(ScheduleDoc, 'output') } },
    }, async (request) => {
      const patch = parseInput(UpdateScheduleBody, request.body);
      return publicSchedule(await schedules.update(request.params.id, patch, readScopeOf(request)));
    });
    app.delete<{ Params: { id: string } }>('/v1/schedules/:id', { schema: { tags: ['schedules'], summary: 'Delete a schedule (its past runs stay)', operationId: 'deleteSchedule', response: { 204: { description: 'Deleted', type: 'null' } } } }, async (request, reply) => {
      await schedules.delete(request.params.id, readScopeOf(request));
      return reply.status(204).send();
    });
  };
}

/** A schedule as the API answers it: its tenant is the caller's, so not repeated. */
function publicSchedule({ tenant: _tenant, ...schedule }: ScheduleRecord) {
  return schedule;
}
