import { useState } from 'react';

/**
 * An agent's reasoning: open while it streams in, folded away once the agent moves on. A reader's own
 * choice (click or keyboard on the summary) wins over both.
 */
export function ReasoningBlock({ text, isStreaming }: { text: string; isStreaming: boolean }) {
  const [choice, setChoice] = useState<boolean>();
  const isOpen = choice ?? isStreaming;
  return (
    <details
      className="reasoning" open={isOpen} data-testid="reasoning" data-streaming={isStreaming}
      // The toggle event also fires when `open` follows the stream; only a change we did not ask for is the reader's.
      onToggle={(event) => event.currentTarget.open !== isOpen && setChoice(event.currentTarget.open)}
    >
      <summary>
        <span className="reasoning-title">{isStreaming ? 'Thinking…' : 'Reasoning'}</span>
        <span className="muted small">{text.split(/\s+/).filter(Boolean).length} words</span>
      </summary>
      <div className="reasoning-text">{text}</div>
    </details>
  );
}
