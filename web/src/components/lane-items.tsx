import { useLayoutEffect, useRef } from 'react';
import type { LaneItem, LaneView, RunView } from '../../../client/run-view.ts';
import { MarkdownText } from './markdown-text.tsx';
import { LanePendingInputs } from './pending-input-card.tsx';
import { ReasoningBlock } from './reasoning-block.tsx';
import { RoutingCard } from './routing-card.tsx';
import { splitStopWord } from './split-stop-word.ts';
import { ToolCard } from './tool-card.tsx';
import { useStickToBottom } from './use-stick-to-bottom.ts';
import { VirtualStack } from './virtual-stack.tsx';

/**
 * What one agent did, in order: reasoning, text, tool calls and (for a team's voice) routing decisions; then
 * what it waits on from a person while the run is paused, where its next tool call would appear.
 */
export function LaneItems({ lane, view, scrollable = true }: { lane: LaneView; view: RunView; scrollable?: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const last = lane.items.at(-1);
  const isLive = lane.status === 'running';
  const pendingCount = view.pending.length;
  useStickToBottom(scrollRef, `${lane.items.length}:${last && 'text' in last ? last.text.length : 0}:${pendingCount}`);
  // While a lane streams it follows the end; once it has finished, its answer is read from the top, so the
  // lane scrolls to the start of its last message (a finished lane left at the bottom showed mid-text).
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || isLive || lane.status === 'idle') return;
    const messages = element.querySelectorAll<HTMLElement>('[data-testid=message]');
    const answer = messages[messages.length - 1];
    if (answer) element.scrollTop += answer.getBoundingClientRect().top - element.getBoundingClientRect().top - 8;
  }, [isLive, lane.status]);
  const body = (
    <>
      <VirtualStack
        items={lane.items}
        scrollRef={scrollRef}
        getKey={(item) => `${item.kind}:${item.id}`}
        className="lane-items"
        // Without its own scroll box a lane cannot virtualise; a single agent's turn has few items anyway.
        threshold={scrollable ? 80 : Number.POSITIVE_INFINITY}
        render={(item, index) => <LaneItemView item={item} view={view} isStreaming={isLive && index === lane.items.length - 1} isCompact={scrollable} />}
      />
      <LanePendingInputs view={view} laneKey={lane.key} />
    </>
  );
  if (!scrollable) return body;
  return <div className="lane-scroll" ref={scrollRef}>{body}</div>;
}

function LaneItemView({ item, view, isStreaming, isCompact }: { item: LaneItem; view: RunView; isStreaming: boolean; isCompact: boolean }) {
  switch (item.kind) {
    case 'reasoning':
      return <ReasoningBlock text={item.text} isStreaming={isStreaming} />;
    case 'message': {
      const { text, stopWord } = splitStopWord(item.text);
      return (
        <div className={`message ${item.isComplete ? '' : 'is-streaming'}`} data-testid="message" data-complete={item.isComplete}>
          <MarkdownText text={text} />
          {stopWord && <span className="badge" data-testid="stop-phrase" title="The group chat's stop phrase: the team ends after this message">ended the chat ({stopWord})</span>}
        </div>
      );
    }
    case 'tool':
      return view.tools[item.id] ? <ToolCard tool={view.tools[item.id]} isCompact={isCompact} /> : null;
    case 'routing': {
      const routing = view.routing.find((decision) => decision.seq === item.seq);
      return routing ? <RoutingCard routing={routing} /> : null;
    }
  }
}

