import { useState } from 'react';

const STORAGE_KEY = 'agentstream.streaming';

/** Whether the composer streams (SSE) or waits for one JSON answer (`stream: false`); remembered across visits. */
export function useStreamingPreference(): [boolean, (isStreaming: boolean) => void] {
  const [isStreaming, setIsStreaming] = useState(() => readPreference());
  const change = (next: boolean) => {
    setIsStreaming(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next ? 'on' : 'off');
    } catch {
      // Storage can be disabled (private mode): the choice then lasts for this page only.
    }
  };
  return [isStreaming, change];
}

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** The streaming / non-streaming switch of the Agno chat document's test app, in the composer. */
export function StreamToggle({ isStreaming, onChange, disabled }: { isStreaming: boolean; onChange: (isStreaming: boolean) => void; disabled?: boolean }) {
  return (
    <label className="stream-toggle" title={isStreaming ? 'Answers stream token by token (SSE)' : 'Answers come whole when the run ends (stream: false)'}>
      <input type="checkbox" role="switch" checked={isStreaming} disabled={disabled} onChange={(event) => onChange(event.target.checked)} data-testid="stream-toggle" />
      <span>Stream</span>
    </label>
  );
}
