import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './support/test-server.ts';

type ErrorBody = { error: { code: string; message: string; details: { available: string[] } } };

describe('errors that name an unknown agent, team or model list the valid names', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const start = async (body: unknown) => {
    const response = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  };

  it('an unknown agent lists the agents', async () => {
    const { status, body } = await start({ agent: 'asistant', input: 'hi' });
    assert.equal(status, 404);
    assert.equal(body.error.code, 'agent_not_found');
    assert.match(body.error.message, /^Agent 'asistant' not found\. Agents: .*\bassistant\b.*\bchat\b.* \(GET \/v1\/agents\)\.$/);
    assert.ok(body.error.details.available.includes('assistant'));
  });

  it('an unknown team lists the teams', async () => {
    const { status, body } = await start({ team: 'reserch', input: 'hi' });
    assert.equal(status, 404);
    assert.equal(body.error.code, 'team_not_found');
    assert.match(body.error.message, /Teams: .*\bresearch\b.*\(GET \/v1\/teams\)/);
  });

  it('a bare model such as gpt-4 says the form is provider:model and lists the models', async () => {
    const { status, body } = await start({ agent: 'assistant', input: 'hi', model: 'gpt-4' });
    assert.equal(status, 404);
    assert.equal(body.error.code, 'model_not_found');
    assert.match(body.error.message, /^Model 'gpt-4' is not available: models are named 'provider:model' \(for example 'openai:gpt-4'\)\. Available: demo\b.*\(GET \/v1\/models\)\.$/);
    const unknownProvider = await start({ agent: 'assistant', input: 'hi', model: 'mistral:large' });
    assert.match(unknownProvider.body.error.message, /unknown provider 'mistral'\. Available: demo/);
  });

  it('a protocol route naming an unknown target lists agents and teams', async () => {
    const response = await fetch(`${server.url}/agui/nobody`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ threadId: 't', runId: 'r', messages: [{ id: 'u', role: 'user', content: 'hi' }], state: {}, tools: [], context: [], forwardedProps: {} }) });
    assert.equal(response.status, 404);
    const body = (await response.json()) as ErrorBody;
    assert.match(body.error.message, /No agent or team named 'nobody'\. Agents: .*assistant.*; teams: .*research/);
  });
});
