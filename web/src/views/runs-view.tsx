import { useCallback, useEffect, useState } from 'react';
import type { RunFilter, RunRecord } from '../../../client/api-types.ts';
import { client } from '../api.ts';
import { Field } from '../components/field.tsx';
import { StatusPill } from '../components/status-pill.tsx';
import { formatCount, formatDateTime, formatDuration, millisBetween, truncate } from '../format.ts';
import { useCatalog } from '../hooks/use-catalog.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const STATUSES = ['running', 'awaiting_input', 'completed', 'failed', 'cancelled', 'queued'] as const;
const PAGE_SIZE = 25;

/** Run history from GET /v1/runs: filter by target, status and dates, page with the cursor, open any run. */
export function RunsView() {
  const { catalog } = useCatalog();
  const { query } = useLocation();
  const filter = filterFromQuery(query);
  const filterKey = query.toString();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(async (cursor?: string) => {
    setIsLoading(true);
    setError(undefined);
    try {
      const params = new URLSearchParams(filterKey);
      const page = await client.listRuns({ ...filterFromQuery(params), cursor, limit: Number(params.get('limit')) || PAGE_SIZE });
      setRuns((previous) => (cursor ? [...previous, ...page.runs] : page.runs));
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setIsLoading(false);
    }
  }, [filterKey]);

  useEffect(() => {
    void load();
  }, [load]);

  // Rows of runs still going are refreshed in place until they end, without losing the pages loaded.
  const activeIds = runs.filter((run) => run.status === 'running' || run.status === 'queued' || run.status === 'awaiting_input').map((run) => run.id).join(',');
  useEffect(() => {
    if (!activeIds) return;
    const timer = window.setInterval(async () => {
      const fresh = await Promise.all(activeIds.split(',').map((id) => client.getRun(id).catch(() => undefined)));
      setRuns((previous) => previous.map((run) => fresh.find((candidate) => candidate?.id === run.id) ?? run));
    }, 2000);
    return () => window.clearInterval(timer);
  }, [activeIds]);

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === 'target') {
      next.delete('agent');
      next.delete('team');
      next.delete('target');
      const [kind, id] = value.split(':');
      if (kind && id) next.set(kind, id);
    }
    navigate(`/runs${next.toString() ? `?${next}` : ''}`, { replace: true });
  };
  const targetValue = filter.agent ? `agent:${filter.agent}` : filter.team ? `team:${filter.team}` : '';

  return (
    <div className="page">
      <div className="page-head">
        <h1>Runs</h1>
        <button type="button" className="button button-quiet" onClick={() => void load()} disabled={isLoading}>Refresh</button>
      </div>
      <form className="filters" aria-label="Filter runs" onSubmit={(event) => event.preventDefault()}>
        <Field label="Agent or team" htmlFor="filter-target">
          <select id="filter-target" value={targetValue} onChange={(event) => setFilter('target', event.target.value)}>
            <option value="">All</option>
            <optgroup label="Agents">{catalog?.agents.map((agent) => <option key={agent.id} value={`agent:${agent.id}`}>{agent.name}</option>)}</optgroup>
            <optgroup label="Teams">{catalog?.teams.map((team) => <option key={team.id} value={`team:${team.id}`}>{team.name}</option>)}</optgroup>
          </select>
        </Field>
        <Field label="Status" htmlFor="filter-status">
          <select id="filter-status" value={filter.status ?? ''} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((status) => <option key={status} value={status}>{status}</option>)}
          </select>
        </Field>
        <Field label="From" htmlFor="filter-from">
          <input id="filter-from" type="date" value={query.get('from') ?? ''} onChange={(event) => setFilter('from', event.target.value)} />
        </Field>
        <Field label="To" htmlFor="filter-to">
          <input id="filter-to" type="date" value={query.get('to') ?? ''} onChange={(event) => setFilter('to', event.target.value)} />
        </Field>
      </form>
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      <div className="table-wrap">
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr><th>Status</th><th>Agent / team</th><th>Input</th><th>Started</th><th className="num">Duration</th><th className="num">Tokens</th><th className="num">Events</th><th><span className="sr-only">Links</span></th></tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run-id={run.id}>
                <td><StatusPill status={run.status === 'queued' ? 'queued' : run.status} /></td>
                <td className="nowrap"><span className="kind">{run.target.kind === 'team' ? 'team' : 'agent'}</span> {run.target.id}</td>
                <td><Link href={`/runs/${run.id}`} className="run-link">{truncate(run.input, 80)}</Link></td>
                <td className="nowrap">{formatDateTime(run.createdAt)}</td>
                <td className="num">{formatDuration(millisBetween(run.startedAt, run.endedAt))}</td>
                <td className="num">{formatCount(run.usage?.totalTokens)}</td>
                <td className="num">{formatCount(run.lastSeq)}</td>
                <td className="nowrap"><Link href={`/analytics/${run.id}`} className="link-quiet">analytics</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.length === 0 && !isLoading && <p className="muted empty-row">No runs match these filters.</p>}
      </div>
      <div className="pager">
        <span className="muted small">{runs.length} shown</span>
        {nextCursor && <button type="button" className="button" onClick={() => void load(nextCursor)} disabled={isLoading}>{isLoading ? 'Loading…' : 'Load more'}</button>}
      </div>
    </div>
  );
}

function filterFromQuery(query: URLSearchParams): RunFilter {
  const from = query.get('from');
  const to = query.get('to');
  return {
    agent: query.get('agent') ?? undefined,
    team: query.get('team') ?? undefined,
    status: (query.get('status') as RunFilter['status']) ?? undefined,
    // Dates are picked in local time; the API takes instants.
    since: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    until: to ? new Date(`${to}T23:59:59.999`).toISOString() : undefined,
  };
}
