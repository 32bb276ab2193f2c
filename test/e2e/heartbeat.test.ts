import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProbeProvider } from './support/probe-provider.ts';
import { postJson } from './support/sse.ts';
import { startTestServer } from './support/test-server.ts';

test('an idle stream gets keep-alive comments at the configured interval, between real events', async () => {
  const probe = createProbeProvider(120);
  const server = await startTestServer({ heartbeatMs: 20 }, { providers: [probe.provider] });
  try {
    const response = await postJson(`${server.url}/v1/runs`, { agent: 'chat', input: 'Hi', model: 'probe:slow' });
    const text = await response.text();
    const beats = text.split('\n\n').filter((frame) => frame === ': keep-alive').length;
    assert.ok(beats >= 2, `saw ${beats} keep-alive comments`);
    assert.match(text, /event: run\.completed\n/);
    assert.ok(text.trimEnd().endsWith('}'), 'the terminal event is the last thing on the stream');
  } finally {
    await server.close();
  }
});
