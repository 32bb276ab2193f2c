import { AgentstreamClient } from '../../client/agentstream-client.ts';

/** The one client the UI talks to the server through: same origin, native API only. */
export const client = new AgentstreamClient({ baseUrl: '' });
