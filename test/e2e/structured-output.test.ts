import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import OpenAI from 'openai';
import type { RunEvent } from '../../src/events/run-event.ts';
import { collectRunEvents, postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const WEATHER = {
  type: 'object',
  properties: { summary: { type: 'string', minLength: 1 }, answer: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['summary', 'answer', 'confidence', 'tags'],
  additionalProperties: false,
};
// A schema no answer can meet: the server's check, not the model's good will, decides.
const IMPOSSIBLE = { type: 'object', properties: { code: { type: 'string', pattern: '^never-matches$' } }, required: ['code'] };

const validates = (schema: object, value: unknown) => new Ajv({ strict: false }).compile(schema)(value);

type Summary = { runId: string; status: string; output: string; error?: { code: string; message: string } };

describe('structured output: the final answer is JSON valid against the request\'s schema, checked on the server', () => {
  let server: TestServer;
  let client: OpenAI;
  before(async () => {
    server = await startTestServer();
    client = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => server.close());

  it('POST /v1/runs with output.schema: the demo model fills the schema', async () => {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 12 * (3 + 4)?', stream: false, output: { schema: WEATHER } });
    assert.equal(response.status, 200);
    const summary = (await response.json()) as Summary;
    assert.equal(summary.status, 'completed');
    const value = JSON.parse(summary.output) as { answer: string };
    assert.ok(validates(WEATHER, value), summary.output);
    assert.match(value.answer, /84/, 'the schema holds the real answer, tool result included');
  });

  it('a schema the answer cannot meet fails the run with output_schema_mismatch', async () => {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hello', stream: false, output: { schema: IMPOSSIBLE } });
    const summary = (await response.json()) as Summary;
    assert.equal(summary.status, 'failed');
    assert.equal(summary.error?.code, 'output_schema_mismatch');
    assert.match(summary.error?.message ?? '', /\/code must match pattern/);
    const events: RunEvent[] = await collectRunEvents(await fetch(`${server.url}/v1/runs/${summary.runId}/events`));
    const last = events.at(-1)!;
    assert.ok(last.type === 'run.failed' && last.error.code === 'output_schema_mismatch');
  });

  it('refuses an invalid schema, or one for a team, with 422 before any run', async () => {
    const invalid = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hello', output: { schema: { type: 'no-such-type' } } });
    assert.equal(invalid.status, 422);
    assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, 'invalid_output_schema');
    const team = await postJson(`${server.url}/v1/runs`, { team: 'research', input: 'AI', output: { schema: WEATHER } });
    assert.equal(team.status, 422);
  });

  it('OpenAI chat response_format json_schema, with the openai client', async () => {
    const completion = await client.chat.completions.create({
      model: 'assistant', messages: [{ role: 'user', content: 'What is 2 + 2?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: WEATHER, strict: true } },
    });
    const value = JSON.parse(completion.choices[0].message.content ?? '') as unknown;
    assert.ok(validates(WEATHER, value));
    await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: IMPOSSIBLE } } }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.code, 'output_schema_mismatch');
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'nope' } } } }), (error: unknown) => error instanceof OpenAI.BadRequestError);
  });

  it('OpenAI Responses text.format json_schema, with the openai client', async () => {
    const response = await client.responses.create({ model: 'assistant', input: 'What is 2 + 2?', text: { format: { type: 'json_schema', name: 'answer', schema: WEATHER, strict: true } } });
    assert.equal(response.status, 'completed');
    assert.ok(validates(WEATHER, JSON.parse(response.output_text)));
  });
});
