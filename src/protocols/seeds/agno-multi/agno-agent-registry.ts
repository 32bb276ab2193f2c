/**
 * The Agno dialect's "active agents": one record per user+project that ran the agent through this dialect,
 * as the seed's server cached one Agno agent per user and project. In memory, per server instance; the
 * conversation itself lives in the store under the record's session id, so cleaning a record up never
 * loses history (the same user+project continues the same session).
 */

/** One user+project's agent. Times are ISO-8601; `running` counts its runs in progress now. */
export type AgnoAgentRecord = {
  user_id: string;
  project_id: string;
  session_id: string;
  agent_id: string;
  created_at: string;
  last_used_at: string;
  runs: number;
  running: number;
};

/** The records of one server instance, keyed `<user_id>:<project_id>` within each tenant (tenants never see each other's). */
export class AgnoAgentRegistry {
  #records = new Map<string, AgnoAgentRecord & { tenant: string }>();

  static #internalKey(tenant: string, userId: string, projectId: string): string {
    return `${tenant}\n${AgnoAgentRegistry.keyOf(userId, projectId)}`;
  }

  /** The registry key of a user+project, as `GET /api/v1/agents/status` lists it. */
  static keyOf(userId: string, projectId: string): string {
    return `${userId}:${projectId}`;
  }

  /** Records that a run started for this user+project. */
  runStarted(options: { tenant: string; userId: string; projectId: string; sessionId: string; agentId: string }): void {
    const key = AgnoAgentRegistry.#internalKey(options.tenant, options.userId, options.projectId);
    const now = new Date().toISOString();
    const record = this.#records.get(key) ?? {
      tenant: options.tenant, user_id: options.userId, project_id: options.projectId, session_id: options.sessionId, agent_id: options.agentId,
      created_at: now, last_used_at: now, runs: 0, running: 0,
    };
    record.runs += 1;
    record.running += 1;
    record.last_used_at = now;
    this.#records.set(key, record);
  }

  /** Records that one of this user+project's runs ended. */
  runEnded(tenant: string, userId: string, projectId: string): void {
    const record = this.#records.get(AgnoAgentRegistry.#internalKey(tenant, userId, projectId));
    if (!record) return; // cleaned up while running is impossible (cleanup keeps running records), but be safe
    record.running = Math.max(0, record.running - 1);
    record.last_used_at = new Date().toISOString();
  }

  /**
   * The tenant's records by `<user_id>:<project_id>`, copied so callers cannot change the registry. With no tenant
   * (the admin key) every tenant's, other tenants' keys prefixed `<tenant>/`.
   */
  snapshot(tenant?: string): Record<string, AgnoAgentRecord> {
    const entries: [string, AgnoAgentRecord][] = [];
    for (const { tenant: owner, ...record } of this.#records.values()) {
      if (tenant !== undefined && owner !== tenant) continue;
      const key = AgnoAgentRegistry.keyOf(record.user_id, record.project_id);
      entries.push([tenant === undefined && owner !== 'default' ? `${owner}/${key}` : key, record]);
    }
    return Object.fromEntries(entries);
  }

  /** How many user+project records there are. */
  get size(): number {
    return this.#records.size;
  }

  /** Forgets every record with no run in progress; returns how many were removed. */
  removeInactive(): number {
    let removed = 0;
    for (const [key, record] of this.#records) {
      if (record.running > 0) continue;
      this.#records.delete(key);
      removed += 1;
    }
    return removed;
  }
}
