import { AgentstreamClient } from '../../client/agentstream-client.ts';
import { askForApiKey, currentApiKey } from './api-key.ts';

/**
 * The one client the UI talks to the server through: same origin, native API only. It streams with fetch, so
 * the key the user gave (when the server answered 401) goes as a header on every request and stream alike.
 */
export const client = new AgentstreamClient({ baseUrl: '', apiKey: currentApiKey, onUnauthorized: askForApiKey });
