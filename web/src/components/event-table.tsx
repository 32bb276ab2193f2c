import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { laneKeyOf } from '../../../client/apply-event.ts';
import { RUN_EVENT_TYPES, type RunEvent } from '../../../src/events/run-event.ts';
import { formatClock } from '../format.ts';
import { summarizeEvent } from './event-summary.ts';

const ROW_HEIGHT = 32;
const searchText = new WeakMap<RunEvent, string>();

function textOf(event: RunEvent): string {
  let text = searchText.get(event);
  if (text === undefined) {
    text = JSON.stringify(event).toLowerCase();
    searchText.set(event, text);
  }
  return text;
}

/** Every raw event of a run: filter by type and agent, search the JSON, export what is shown. Virtualised. */
export function EventTable({ events, version, runId }: { events: readonly RunEvent[]; version: number; runId?: string }) {
  const [type, setType] = useState('');
  const [agent, setAgent] = useState('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<RunEvent>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const agents = useMemo(() => [...new Set(events.map((event) => laneKeyOf(event.agent.path)))], [events, version]);
  const filtered = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return events.filter((event) => (!type || event.type === type) && (!agent || laneKeyOf(event.agent.path) === agent) && (!needle || textOf(event).includes(needle)));
  }, [events, version, type, agent, search]);
  const virtualizer = useVirtualizer({ count: filtered.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const origin = events.length ? Date.parse(events[0].ts) : 0;

  const exportJson = () => {
    const blob = new Blob([JSON.stringify(filtered, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `${runId ?? 'run'}-events${filtered.length !== events.length ? '-filtered' : ''}.json`;
    anchor.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="card event-table-card span-2" aria-label="Events" data-testid="event-table">
      <div className="table-toolbar">
        <h3>Events</h3>
        <label className="inline-field">
          <span>Type</span>
          <select value={type} onChange={(event) => setType(event.target.value)} aria-label="Filter by event type">
            <option value="">All types</option>
            {RUN_EVENT_TYPES.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label className="inline-field">
          <span>Agent</span>
          <select value={agent} onChange={(event) => setAgent(event.target.value)} aria-label="Filter by agent">
            <option value="">All agents</option>
            {agents.map((key) => <option key={key} value={key}>{key || '(top level)'}</option>)}
          </select>
        </label>
        <label className="inline-field grow">
          <span>Search</span>
          <input type="search" value={search} placeholder="text in any field…" onChange={(event) => setSearch(event.target.value)} />
        </label>
        <span className="muted small" data-testid="event-table-count" data-count={filtered.length}>{filtered.length} of {events.length}</span>
        <button type="button" className="button" onClick={exportJson} disabled={filtered.length === 0}>Export JSON</button>
      </div>
      <div className="event-grid event-grid-head" role="row">
        <span role="columnheader">seq</span><span role="columnheader">time</span><span role="columnheader">+ms</span><span role="columnheader">type</span><span role="columnheader">agent</span><span role="columnheader">details</span>
      </div>
      <div className="event-scroll" ref={scrollRef} role="table" aria-label="Run events" aria-rowcount={filtered.length}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const event = filtered[row.index];
            return (
              <button
                type="button" key={event.seq} role="row" aria-rowindex={row.index + 1}
                className={`event-grid event-row ${selected?.seq === event.seq ? 'is-selected' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                onClick={() => setSelected(event)} data-seq={event.seq}
              >
                <span role="cell" className="num">{event.seq}</span>
                <span role="cell" className="muted">{formatClock(event.ts)}</span>
                <span role="cell" className="num muted">{Date.parse(event.ts) - origin}</span>
                <span role="cell"><code className={`type type-${event.type.split('.')[0]}`}>{event.type}</code></span>
                <span role="cell" className="ellipsis">{event.agent.path.at(-1) ?? event.agent.id}</span>
                <span role="cell" className="ellipsis muted">{summarizeEvent(event)}</span>
              </button>
            );
          })}
        </div>
      </div>
      {selected && (
        <div className="event-detail">
          <div className="table-toolbar">
            <strong>Event #{selected.seq}</strong>
            <button type="button" className="button button-quiet" onClick={() => setSelected(undefined)}>Close</button>
          </div>
          <pre>{JSON.stringify(selected, null, 2)}</pre>
        </div>
      )}
    </section>
  );
}
