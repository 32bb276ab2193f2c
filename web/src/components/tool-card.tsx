import type { ToolCallView } from '../../../client/run-view.ts';
import { formatDuration } from '../format.ts';

/** One tool call: its input at once, a running state, then its output and duration or its error. */
export function ToolCard({ tool, isCompact = false }: { tool: ToolCallView; isCompact?: boolean }) {
  return (
    <section className={`tool-card tool-${tool.status}`} data-testid="tool-card" data-status={tool.status} data-tool={tool.toolName} aria-label={`Tool call ${tool.toolName}`}>
      <header className="tool-head">
        <span className="tool-icon" aria-hidden="true">⚙</span>
        <strong className="tool-name">{tool.toolName}</strong>
        <span className="tool-state">
          {tool.status === 'running' && <><span className="spinner" aria-hidden="true" /> running…</>}
          {tool.status === 'completed' && <>done in {formatDuration(tool.durationMs)}</>}
          {tool.status === 'failed' && <>failed{tool.durationMs !== undefined ? ` after ${formatDuration(tool.durationMs)}` : ''}</>}
        </span>
      </header>
      <div className="tool-body">
        <div className="tool-io">
          <span className="tool-label">Input</span>
          <pre>{JSON.stringify(tool.args, null, 2)}</pre>
        </div>
        {tool.status === 'completed' && (isCompact ? (
          <details className="tool-io">
            <summary className="tool-label">Output ({JSON.stringify(tool.result).length} chars)</summary>
            <pre className="tool-output">{JSON.stringify(tool.result, null, 2)}</pre>
          </details>
        ) : (
          <div className="tool-io">
            <span className="tool-label">Output</span>
            <pre className="tool-output">{JSON.stringify(tool.result, null, 2)}</pre>
          </div>
        ))}
        {tool.status === 'failed' && tool.error && (
          <div className="tool-io tool-error" role="alert">
            <span className="tool-label">Error</span>
            <pre>{tool.error.code}: {tool.error.message}</pre>
          </div>
        )}
      </div>
    </section>
  );
}
