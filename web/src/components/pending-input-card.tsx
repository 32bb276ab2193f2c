import { createContext, useContext, useState, type FormEvent, type KeyboardEvent } from 'react';
import { laneKeyOf } from '../../../client/apply-event.ts';
import type { LiveRun } from '../../../client/react/index.ts';
import type { RunView } from '../../../client/run-view.ts';
import type { PendingInput } from '../../../src/events/run-event.ts';
import { formatDateTime } from '../format.ts';

/** What a person can do with a paused run's pending items: the live run's own actions (`useAgentRun`). */
export type PendingInputActions = Pick<LiveRun, 'approve' | 'edit' | 'reject' | 'answer'>;

/**
 * The actions of the run on screen, for the cards deep inside its lanes. Without a provider (a replay) the
 * cards show what the run waited on but offer nothing to press.
 */
export const PendingInputContext = createContext<PendingInputActions | undefined>(undefined);

/** The pending items one lane's agent is waiting on, where its next tool call would appear. */
export function LanePendingInputs({ view, laneKey }: { view: RunView; laneKey: string }) {
  const items = view.pending.filter((item) => laneKeyOf(item.agent.path) === laneKey);
  if (items.length === 0) return null;
  return (
    <div className="pending-inputs" data-testid="pending-inputs">
      {items.map((item) => <PendingInputCard key={item.toolCallId} item={item} expiresAt={view.pendingExpiresAt} />)}
    </div>
  );
}

type Mode = 'choose' | 'edit' | 'reject';

/**
 * One tool call waiting for a person: an approval (tool, arguments, Approve / Edit / Reject) or a question
 * (`ask_user`: the question and an answer box). Stays disabled once sent: the item goes away when the run's
 * `input.received` arrives, which may be a moment after the POST answered.
 */
export function PendingInputCard({ item, expiresAt }: { item: PendingInput; expiresAt?: string }) {
  const actions = useContext(PendingInputContext);
  const [mode, setMode] = useState<Mode>('choose');
  const [argsText, setArgsText] = useState(() => JSON.stringify(item.args, null, 2));
  const [reason, setReason] = useState('');
  const [answerText, setAnswerText] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<string>();
  const isDisabled = !actions || state !== 'idle';

  const submit = async (action: () => Promise<void>) => {
    setState('sending');
    setError(undefined);
    try {
      await action();
      setState('sent');
    } catch (caught) {
      setError((caught as Error).message);
      setState('idle');
    }
  };
  const sendEdit = () => {
    let args: PendingInput['args'];
    try {
      args = JSON.parse(argsText);
    } catch (caught) {
      setError(`The arguments are not valid JSON: ${(caught as Error).message}`);
      return;
    }
    void submit(() => actions!.edit(item.toolCallId, args));
  };
  const onAnswer = (event: FormEvent) => {
    event.preventDefault();
    if (answerText.trim()) void submit(() => actions!.answer(item.toolCallId, answerText.trim()));
  };
  // Enter sends, Shift+Enter is a new line: as in the composer.
  const onAnswerKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) onAnswer(event);
  };
  const isQuestion = item.kind === 'question';
  const label = isQuestion ? `Question from ${item.agent.name}` : `Approval needed: ${item.toolName}`;

  return (
    <section className="tool-card pending-card" data-testid="pending-input" data-kind={item.kind} data-tool={item.toolName} data-tool-call-id={item.toolCallId} aria-label={label}>
      <header className="tool-head">
        <span className="tool-icon" aria-hidden="true">{isQuestion ? '?' : '⚙'}</span>
        <strong className="tool-name">{item.toolName}</strong>
        <span className="tool-state pending-state">
          {state === 'sent' ? <><span className="spinner" aria-hidden="true" /> sent, resuming…</> : isQuestion ? 'asks you' : 'needs your approval'}
        </span>
      </header>
      <div className="pending-body">
        {isQuestion ? (
          <form className="pending-answer" onSubmit={onAnswer}>
            <p className="pending-question" data-testid="pending-question">{item.question}</p>
            <label htmlFor={`answer-${item.toolCallId}`} className="sr-only">Your answer</label>
            <textarea id={`answer-${item.toolCallId}`} rows={2} value={answerText} placeholder="Your answer" disabled={isDisabled} onChange={(event) => setAnswerText(event.target.value)} onKeyDown={onAnswerKeyDown} />
            <div className="pending-actions">
              <button type="submit" className="button button-primary" disabled={isDisabled || !answerText.trim()}>Send answer</button>
            </div>
          </form>
        ) : (
          <>
            <div className="tool-io">
              <span className="tool-label">Arguments</span>
              {mode === 'edit' ? (
                <>
                  <label htmlFor={`args-${item.toolCallId}`} className="sr-only">Arguments (JSON)</label>
                  <textarea id={`args-${item.toolCallId}`} className="pending-json" rows={Math.min(12, argsText.split('\n').length + 1)} value={argsText} spellCheck={false} disabled={isDisabled} onChange={(event) => setArgsText(event.target.value)} />
                </>
              ) : <pre data-testid="pending-args">{JSON.stringify(item.args, null, 2)}</pre>}
            </div>
            {mode === 'reject' && (
              <div className="tool-io">
                <label htmlFor={`reason-${item.toolCallId}`} className="tool-label">Reason (optional, the model sees it)</label>
                <input id={`reason-${item.toolCallId}`} type="text" value={reason} disabled={isDisabled} onChange={(event) => setReason(event.target.value)} />
              </div>
            )}
            {actions && (
              <div className="pending-actions">
                {mode === 'choose' && (
                  <>
                    <button type="button" className="button button-primary" disabled={isDisabled} onClick={() => void submit(() => actions.approve(item.toolCallId))}>Approve</button>
                    <button type="button" className="button" disabled={isDisabled} onClick={() => { setMode('edit'); setError(undefined); }}>Edit</button>
                    <button type="button" className="button button-danger" disabled={isDisabled} onClick={() => { setMode('reject'); setError(undefined); }}>Reject</button>
                  </>
                )}
                {mode === 'edit' && <button type="button" className="button button-primary" disabled={isDisabled} onClick={sendEdit}>Approve with these arguments</button>}
                {mode === 'reject' && <button type="button" className="button button-danger" disabled={isDisabled} onClick={() => void submit(() => actions.reject(item.toolCallId, reason.trim() || undefined))}>Reject call</button>}
                {mode !== 'choose' && <button type="button" className="button button-quiet" disabled={isDisabled} onClick={() => { setMode('choose'); setError(undefined); }}>Back</button>}
              </div>
            )}
          </>
        )}
        {!actions && <p className="muted small">Waiting for a person to answer.</p>}
        {error && <div className="banner banner-error" role="alert" data-testid="pending-error">{error}</div>}
        {expiresAt && <p className="muted small" data-testid="pending-expiry">Expires {formatDateTime(expiresAt)} if nobody answers.</p>}
      </div>
    </section>
  );
}
