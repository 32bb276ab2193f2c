import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RunResult } from '../../../client/api-types.ts';
import type { RunView } from '../../../client/run-view.ts';
import { ConnectionBanner } from '../components/connection-banner.tsx';
import { DemoNotice } from '../components/demo-notice.tsx';
import { PendingInputContext } from '../components/pending-input-card.tsx';
import { Field } from '../components/field.tsx';
import { RawInspector } from '../components/raw-inspector.tsx';
import { RunOutcome } from '../components/run-outcome.tsx';
import { RunResultView } from '../components/run-result-view.tsx';
import { StreamToggle, useStreamingPreference } from '../components/stream-toggle.tsx';
import { AgentTranscript } from '../components/run-panel.tsx';
import { RunSummaryBar } from '../components/run-summary-bar.tsx';
import { useStickToBottom } from '../components/use-stick-to-bottom.ts';
import { VirtualStack } from '../components/virtual-stack.tsx';
import { useCatalog } from '../hooks/use-catalog.ts';
import { useLiveRun } from '../hooks/use-live-run.ts';
import { useRunResult } from '../hooks/use-run-result.ts';
import { useLocation } from '../router.tsx';

const EXAMPLES = ['What is 12 * (3 + 4)?', 'What time is it in UTC?', 'What was our revenue by region?', 'Search the knowledge base for vector databases'];

/** A finished turn of the conversation, kept as its final view (streamed) or its JSON answer (not streamed). */
type Turn = { key: string; input: string; view?: RunView; result?: RunResult; error?: string };

/** Chat with one agent: streamed answers, reasoning, tool cards, cancel, resume after drops, one session across turns. */
export function AgentView() {
  const { catalog, error: catalogError } = useCatalog();
  const { query } = useLocation();
  const [agentId, setAgentId] = useState(query.get('agent') ?? 'assistant');
  const [model, setModel] = useState('');
  const [sessionId, setSessionId] = useState<string>();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [activeInput, setActiveInput] = useState<string>();
  // How the active turn was sent: streamed (SSE, folded live) or not (`stream: false`, one JSON answer).
  const [activeStreamed, setActiveStreamed] = useState(true);
  const [isStreaming, setIsStreaming] = useStreamingPreference();
  const waited = useRunResult();
  const [draft, setDraft] = useState('');
  const live = useLiveRun();
  const scrollRef = useRef<HTMLDivElement>(null);
  const agent = catalog?.agents.find((candidate) => candidate.id === agentId);
  const modelId = model || catalog?.models.defaultModel || '';
  const modelInfo = catalog?.models.models.find((candidate) => candidate.id === modelId);
  // A paused run (waiting for an approval or an answer) keeps the composer: the next message waits for it.
  const isBusy = live.connection === 'connecting' || live.view.status === 'running' || live.view.status === 'awaiting_input' || waited.isWaiting;
  const lastText = live.view.lanes['']?.items.at(-1);

  useStickToBottom(scrollRef, `${turns.length}:${live.view.eventCount}:${lastText && 'text' in lastText ? lastText.text.length : 0}`);
  useEffect(() => {
    if (live.view.sessionId) setSessionId(live.view.sessionId);
  }, [live.view.sessionId]);
  useEffect(() => {
    if (waited.result?.sessionId) setSessionId(waited.result.sessionId);
  }, [waited.result?.sessionId]);
  // A turn sent without streaming that paused for a person answers with its pending items, not its end: the
  // turn follows the run live from there, so the items can be answered and the rest streams in.
  useEffect(() => {
    const paused = waited.result?.status === 'awaiting_input' ? waited.result.runId : undefined;
    if (!paused) return;
    waited.reset();
    setActiveStreamed(true);
    void live.follow(paused);
  }, [waited.result]);

  const send = (text: string) => {
    const input = text.trim();
    if (!input || isBusy || !agent) return;
    if (activeInput !== undefined && activeStreamed && live.view.runId) setTurns((previous) => [...previous, { key: live.view.runId!, input: activeInput, view: live.view }]);
    if (activeInput !== undefined && !activeStreamed && (waited.result || waited.error)) {
      const { result, error } = waited;
      setTurns((previous) => [...previous, { key: result?.runId ?? `failed-${previous.length}`, input: activeInput, result, error }]);
    }
    setActiveInput(input);
    setActiveStreamed(isStreaming);
    setDraft('');
    const request = { agent: agent.id, input, sessionId, model: modelId || undefined };
    if (isStreaming) {
      waited.reset();
      void live.start(request);
    } else {
      live.detach();
      live.reset();
      void waited.start(request);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send(draft);
    }
  };
  const newConversation = () => {
    live.detach();
    live.reset();
    waited.reset();
    setTurns([]);
    setActiveInput(undefined);
    setSessionId(undefined);
  };

  return (
    <div className="workspace">
      <aside className="sidebar" aria-label="Agent settings">
        <h2>Agent</h2>
        <Field label="Agent" htmlFor="agent-select">
          <select id="agent-select" value={agentId} disabled={isBusy} onChange={(event) => { setAgentId(event.target.value); newConversation(); }}>
            {catalog?.agents.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name} ({candidate.id})</option>)}
          </select>
        </Field>
        <Field label="Model" htmlFor="model-select">
          <select id="model-select" value={modelId} disabled={isBusy} onChange={(event) => setModel(event.target.value)}>
            {catalog?.models.models.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.label}</option>)}
          </select>
        </Field>
        {agent && (
          <div className="sidebar-info">
            <p>{agent.description}</p>
            {agent.tools.length > 0 && <div className="chips" aria-label="Tools">{agent.tools.map((tool) => <span key={tool} className="chip">⚙ {tool}</span>)}</div>}
          </div>
        )}
        <div className="session-box">
          <span className="muted small">Session</span>
          <code data-testid="session-id">{sessionId ?? 'new'}</code>
          <button type="button" className="button button-quiet" onClick={newConversation} disabled={isBusy && live.connection !== 'reconnecting'}>New conversation</button>
        </div>
        {catalogError && <p className="text-danger" role="alert">Could not load the catalogue: {catalogError}</p>}
      </aside>

      <section className="conversation" aria-label="Conversation">
        <DemoNotice model={modelInfo} />
        <div className="conversation-scroll" ref={scrollRef} data-testid="conversation">
          {turns.length === 0 && activeInput === undefined && (
            <div className="empty-state">
              <h2>Ask {agent?.name ?? 'the agent'} something</h2>
              <p className="muted">Answers stream token by token; reasoning and tool calls show up as they happen.</p>
              <div className="examples">
                {EXAMPLES.map((example) => <button key={example} type="button" className="button button-quiet" onClick={() => send(example)}>{example}</button>)}
              </div>
            </div>
          )}
          <VirtualStack
            items={turns}
            scrollRef={scrollRef}
            threshold={30}
            estimateSize={400}
            getKey={(turn) => turn.key}
            render={(turn) => (turn.view ? <TurnView input={turn.input} view={turn.view} /> : <ResultTurnView input={turn.input} result={turn.result} error={turn.error} />)}
          />
          {activeInput !== undefined && !activeStreamed && (
            <article className="turn turn-active" data-testid="active-turn" data-streamed="false">
              <div className="user-message">{activeInput}</div>
              <RunResultView result={waited.result} isWaiting={waited.isWaiting} error={waited.error} />
            </article>
          )}
          {activeInput !== undefined && activeStreamed && (
            <article className="turn turn-active" data-testid="active-turn" data-streamed="true">
              <div className="user-message">{activeInput}</div>
              <RunSummaryBar view={live.view} mode="live" onCancel={live.cancel} isCancelling={live.isCancelling} />
              <ConnectionBanner connection={live.connection} drops={live.drops} lastSeq={live.view.lastSeq} />
              <PendingInputContext.Provider value={live}>
                <AgentTranscript view={live.view} />
              </PendingInputContext.Provider>
              <RunOutcome view={live.view} />
              {live.error && <div className="banner banner-error" role="alert">{live.error}</div>}
              {live.view.runId && <RawInspector key={live.view.runId} runId={live.view.runId} />}
            </article>
          )}
        </div>
        <form className="composer" onSubmit={onSubmit}>
          <label htmlFor="agent-input" className="sr-only">Message</label>
          <textarea id="agent-input" rows={2} value={draft} placeholder={`Message ${agent?.name ?? 'the agent'}… (Enter to send, Shift+Enter for a new line)`} onChange={(event) => setDraft(event.target.value)} onKeyDown={onKeyDown} />
          <StreamToggle isStreaming={isStreaming} onChange={setIsStreaming} disabled={isBusy} />
          <button type="submit" className="button button-primary" disabled={!draft.trim() || isBusy || !agent}>Send</button>
        </form>
      </section>
    </div>
  );
}

function TurnView({ input, view }: { input: string; view: RunView }) {
  return (
    <article className="turn" data-testid="turn">
      <div className="user-message">{input}</div>
      <RunSummaryBar view={view} />
      <AgentTranscript view={view} />
      <RunOutcome view={view} />
      {view.runId && <RawInspector runId={view.runId} />}
    </article>
  );
}

function ResultTurnView({ input, result, error }: { input: string; result?: RunResult; error?: string }) {
  return (
    <article className="turn" data-testid="turn" data-streamed="false">
      <div className="user-message">{input}</div>
      <RunResultView result={result} isWaiting={false} error={error} />
    </article>
  );
}
