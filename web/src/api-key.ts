import { useSyncExternalStore } from 'react';

// The API key the user typed when the server answered 401: kept for this browser tab's session only
// (sessionStorage, gone when the tab closes), sent by `api.ts` on every request and stream.
const STORAGE_KEY = 'agentstream.apiKey';

type KeyState = { key: string | undefined; needed: boolean };

let state: KeyState = { key: readStored(), needed: false };
const listeners = new Set<() => void>();

function readStored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the key lives only in memory
  }
}

function update(next: Partial<KeyState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

/** The key to send now, if any. */
export function currentApiKey(): string | undefined {
  return state.key;
}

/** The server refused us (401): ask the user for a key. */
export function askForApiKey(): void {
  if (!state.needed) update({ needed: true });
}

/** Keeps `key` for the session; the page reloads so every view fetches again with it. */
export function keepApiKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch { /* memory only */ }
  update({ key, needed: false });
  location.reload();
}

/** Forgets the stored key; the next request without it asks again. */
export function forgetApiKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch { /* nothing stored */ }
  update({ key: undefined });
  location.reload();
}

/** The key state for components. */
export function useApiKeyState(): KeyState {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, () => state);
}
