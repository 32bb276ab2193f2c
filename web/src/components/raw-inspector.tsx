import { useState } from 'react';
import { RAW_FORMATS, type RawFormat } from '../../../client/api-types.ts';
import { formatCount } from '../format.ts';
import { MAX_RAW_FRAMES, useRawFrames } from '../hooks/use-raw-frames.ts';

const FORMAT_LABELS: Record<RawFormat, string> = {
  native: 'Native SSE (agentstream)',
  'ag-ui': 'AG-UI',
  'ai-sdk-ui': 'AI SDK UI message stream',
  'openai-chat': 'OpenAI chat completions',
  'openai-responses': 'OpenAI Responses',
  'agno-chat': 'Seed: Agno chat',
  'agno-multi': 'Seed: Agno multi-agent',
  dedalus: 'Seed: Dedalus',
  autogen: 'Seed: AutoGen',
  'openai-agents': 'Seed: OpenAI Agents SDK',
};

/**
 * The raw-response inspector of the Agno chat document's test app: a run's stream in a chosen wire format,
 * exactly as received (each frame with its `id:` / `event:` / `data:` lines), live while the run goes on.
 * It connects only while open, so a closed inspector costs nothing.
 */
export function RawInspector({ runId }: { runId: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const [format, setFormat] = useState<RawFormat>('native');
  const raw = useRawFrames(runId, format, isOpen);
  const path = `/v1/runs/${encodeURIComponent(runId)}/events?format=${format}`;
  const copy = () => void navigator.clipboard?.writeText([...raw.frames, raw.partial].join('')).catch(() => undefined);
  return (
    <details className="raw-inspector" data-testid="raw-inspector" onToggle={(event) => setIsOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>Raw response</summary>
      {isOpen && (
        <div className="raw-body">
          <div className="raw-toolbar">
            <label className="raw-format">
              <span>Wire format</span>
              <select value={format} onChange={(event) => setFormat(event.target.value as RawFormat)} data-testid="raw-format">
                {RAW_FORMATS.map((name) => <option key={name} value={name}>{FORMAT_LABELS[name]}</option>)}
              </select>
            </label>
            <code className="raw-url" title="Any HTTP client gets these bytes from this address">GET {path}</code>
            <span className="muted small" data-testid="raw-status" data-state={raw.state} data-frames={raw.frames.length} data-bytes={raw.bytes}>
              {raw.state === 'loading' ? 'connecting…' : `${formatCount(raw.frames.length)} frames · ${formatCount(raw.bytes)} bytes · ${raw.state === 'streaming' ? 'live' : raw.state}`}
            </span>
            <button type="button" className="button button-quiet" onClick={copy} disabled={raw.frames.length === 0}>Copy</button>
          </div>
          {format !== 'native' && <p className="muted small">Rendered from the stored run; this format's own route streams the same frames for a run it starts. It replays from the first event (no resume).</p>}
          {raw.error && <div className="banner banner-error" role="alert">{raw.error}</div>}
          <ol className="raw-frames" data-testid="raw-frames">
            {raw.frames.map((frame, index) => <li key={index}><pre className="raw-frame" data-testid="raw-frame">{frame}</pre></li>)}
            {raw.partial && <li><pre className="raw-frame raw-partial" data-testid="raw-partial">{raw.partial}</pre></li>}
          </ol>
          {raw.isTruncated && <p className="muted small">Showing the first {formatCount(MAX_RAW_FRAMES)} frames.</p>}
        </div>
      )}
    </details>
  );
}
