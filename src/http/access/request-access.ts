import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import type { RunCaller } from '../../runs/run-manager.ts';
import type { KeyLimits } from './api-keys.ts';

/**
 * Who a request speaks for, set by the auth hook (`authenticate.ts`) on every API request:
 * the tenant whose runs and sessions it may see, whether it holds the admin key, and the identity
 * its limits are counted under (`key`: one API key, one JWT subject, or one client address with no keys).
 */
export type Access = { tenant: string; admin: boolean; key: string; limits: KeyLimits };

declare module 'fastify' {
  interface FastifyRequest {
    access: Access;
  }
}

/** `tenant` and `caller` for `RunManager.start`: the run and its session are the caller's, counted under its limits. */
export function callerOf(request: FastifyRequest): { tenant: string; caller: RunCaller } {
  const { tenant, key, limits } = request.access;
  return { tenant, caller: { key, maxConcurrentRuns: limits.maxConcurrentRuns, dailyTokenBudget: limits.dailyTokenBudget } };
}

/** The tenant reads are scoped to; `undefined` (every tenant) only for the admin key. */
export function readScopeOf(request: FastifyRequest): string | undefined {
  return request.access.admin ? undefined : request.access.tenant;
}

/** The tenant a request's sessions live under (sessions are always per tenant, the admin key's too). */
export function tenantOf(request: FastifyRequest): string {
  return request.access.tenant;
}

/** Admin routes (the Agno cleanup, cross-tenant stats) need the admin key once keys are configured. */
export function requireAdmin(request: FastifyRequest): void {
  if (!request.access.admin) throw new AppError('admin_key_required');
}
