import { useState, type FormEvent } from 'react';
import { forgetApiKey, keepApiKey, useApiKeyState } from '../api-key.ts';

/** Asks for an API key when the server answered 401; kept for this browser session (sessionStorage). */
export function ApiKeyPrompt() {
  const { needed, key } = useApiKeyState();
  const [draft, setDraft] = useState('');
  if (!needed) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) keepApiKey(draft.trim());
  };
  return (
    <div className="key-prompt-backdrop">
      <form className="key-prompt" role="dialog" aria-modal="true" aria-labelledby="key-prompt-title" onSubmit={submit}>
        <h2 id="key-prompt-title">API key needed</h2>
        <p>{key ? 'The server did not accept the key you gave.' : 'This server needs an API key.'} It is kept for this browser session only.</p>
        <label>
          API key
          <input type="password" autoComplete="off" autoFocus value={draft} onChange={(event) => setDraft(event.target.value)} data-testid="api-key-input" />
        </label>
        <div className="key-prompt-actions">
          <button type="submit" className="button button-primary" disabled={!draft.trim()}>Use key</button>
        </div>
      </form>
    </div>
  );
}

/** In the top bar while a key is kept: forgets it. */
export function ForgetKeyButton() {
  const { key } = useApiKeyState();
  if (!key) return null;
  return <button type="button" className="button" onClick={forgetApiKey} title="Forget the API key kept for this session">Forget key</button>;
}
