import { useEffect, useState } from 'react';
import type { RunRecord } from '../../../client/api-types.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';
import { client } from '../api.ts';
import { ConnectionBanner } from '../components/connection-banner.tsx';
import { PendingInputContext } from '../components/pending-input-card.tsx';
import { RawInspector } from '../components/raw-inspector.tsx';
import { ReplayControls } from '../components/replay-controls.tsx';
import { RunPanel } from '../components/run-panel.tsx';
import { RunSummaryBar } from '../components/run-summary-bar.tsx';
import { formatDateTime } from '../format.ts';
import { useCatalog } from '../hooks/use-catalog.ts';
import { useLiveRun } from '../hooks/use-live-run.ts';
import { useReplay } from '../hooks/use-replay.ts';
import { Link } from '../router.tsx';

/** `/runs/{runId}`: attaches live to a running (or paused) run, or replays a finished one at a chosen speed. */
export function RunPage({ runId }: { runId: string }) {
  const [run, setRun] = useState<RunRecord>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setRun(undefined);
    setError(undefined);
    client.getRun(runId).then(setRun, (caught: Error) => setError(caught.message));
  }, [runId]);
  // A paused run is unfinished too: it is followed live, so its pending items can be answered here.
  const isActive = run && (run.status === 'running' || run.status === 'queued' || run.status === 'awaiting_input');
  const { catalog } = useCatalog();
  const modelLabel = (id: string) => catalog?.models.models.find((model) => model.id === id)?.label ?? id;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Run <code className="run-id">{runId}</code></h1>
          {run && <p className="muted">{run.target.kind} <strong>{run.target.id}</strong> · model {modelLabel(run.model)} · started {formatDateTime(run.createdAt)}</p>}
        </div>
        <div className="head-actions">
          <CopyLinkButton />
          <Link href={`/analytics/${runId}`} className="button">Analytics</Link>
        </div>
      </div>
      {error && <div className="banner banner-error" role="alert">{error}</div>}
      {!run && !error && <p className="muted"><span className="spinner" aria-hidden="true" /> Loading…</p>}
      {run && (isActive ? <LiveRun runId={runId} /> : <ReplayRun runId={runId} />)}
      {run && <RawInspector runId={runId} />}
    </div>
  );
}

function LiveRun({ runId }: { runId: string }) {
  const live = useLiveRun();
  useEffect(() => {
    void live.follow(runId);
    return () => live.detach();
  }, [runId]);
  return (
    <div data-testid="live-run">
      <RunSummaryBar view={live.view} mode="live" onCancel={live.cancel} isCancelling={live.isCancelling} />
      <ConnectionBanner connection={live.connection} drops={live.drops} lastSeq={live.view.lastSeq} />
      {live.error && <div className="banner banner-error" role="alert">{live.error}</div>}
      <PendingInputContext.Provider value={live}>
        <RunPanel view={live.view} />
      </PendingInputContext.Provider>
    </div>
  );
}

function ReplayRun({ runId }: { runId: string }) {
  const [events, setEvents] = useState<RunEvent[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    client.getEvents(runId, { signal: controller.signal }).then(setEvents, (caught: Error) => !controller.signal.aborted && setError(caught.message));
    return () => controller.abort();
  }, [runId]);
  if (error) return <div className="banner banner-error" role="alert">{error}</div>;
  if (!events) return <p className="muted"><span className="spinner" aria-hidden="true" /> Loading events…</p>;
  return <ReplayBody events={events} />;
}

function ReplayBody({ events }: { events: RunEvent[] }) {
  const replay = useReplay(events, { autoplay: true, initialSpeed: 4 });
  return (
    <div data-testid="replay">
      <ReplayControls replay={replay} />
      <RunSummaryBar view={replay.view} mode="replay" />
      <RunPanel view={replay.view} />
    </div>
  );
}

function CopyLinkButton() {
  const [isCopied, setIsCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setIsCopied(true);
      window.setTimeout(() => setIsCopied(false), 1500);
    } catch {
      window.prompt('Copy this link', window.location.href);
    }
  };
  return <button type="button" className="button button-quiet" onClick={() => void copy()}>{isCopied ? 'Link copied' : 'Copy link'}</button>;
}
