import type { RunResult } from '../../../client/api-types.ts';
import { formatCount } from '../format.ts';
import { Link } from '../router.tsx';
import { MarkdownText } from './markdown-text.tsx';
import { RawInspector } from './raw-inspector.tsx';
import { StatusPill } from './status-pill.tsx';

/** A run that was not streamed: spinner while it runs, then its final answer, usage and the JSON as received. */
export function RunResultView({ result, isWaiting, error }: { result?: RunResult; isWaiting: boolean; error?: string }) {
  if (isWaiting) return <p className="muted" data-testid="waiting"><span className="spinner" aria-hidden="true" /> Not streaming: waiting for the whole answer…</p>;
  if (error) return <div className="banner banner-error" role="alert">{error}</div>;
  if (!result) return null;
  return (
    <div className="run-result" data-testid="run-result">
      <div className="run-bar" data-testid="run-bar" data-run-id={result.runId} data-status={result.status}>
        <StatusPill status={result.status} testId="run-status" />
        <span className="badge" title="Sent with stream: false; the answer came as one JSON document">not streamed</span>
        <dl className="run-stats"><div><dt>tokens</dt><dd data-testid="run-tokens">{formatCount(result.usage?.totalTokens)}</dd></div></dl>
        <span className="run-links">
          <Link href={`/runs/${result.runId}`} className="link-quiet" title="The run with every event">{result.runId.slice(0, 12)}…</Link>
        </span>
      </div>
      {result.output && <div className="message" data-testid="message"><MarkdownText text={result.output} /></div>}
      {result.error && <div className="banner banner-error" role="alert" data-testid="run-error"><strong>Run failed</strong> — {result.error.message} <code>{result.error.code}</code></div>}
      <details className="raw-inspector" data-testid="json-response">
        <summary>JSON response</summary>
        <pre className="raw-frame">{JSON.stringify(result, null, 2)}</pre>
      </details>
      <RawInspector runId={result.runId} />
    </div>
  );
}
