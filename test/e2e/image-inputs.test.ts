import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpAgent } from '@ag-ui/client';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import OpenAI from 'openai';
import { createFailingProvider, writeTestAgentsConfig } from './support/failing-provider.ts';
import { createProbeProvider } from './support/probe-provider.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// A 1x1 PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('image inputs reach a model that takes images; one that cannot is refused with 422', () => {
  let server: TestServer;
  let client: OpenAI;
  before(async () => {
    // The probe provider declares no image support: its agent (slow_chat) stands for a text-only model.
    server = await startTestServer({ configFile: writeTestAgentsConfig() }, { providers: [createProbeProvider(1).provider, createFailingProvider()] });
    client = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => server.close());

  it('OpenAI chat image_url parts: the demo model acknowledges the image', async () => {
    const completion = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: PNG } }] }],
    });
    assert.match(completion.choices[0].message.content ?? '', /^I see 1 image/);
  });

  it('OpenAI Responses input_image parts', async () => {
    const response = await client.responses.create({
      model: 'chat',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Describe these' }, { type: 'input_image', image_url: PNG, detail: 'auto' }, { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'auto' }] }],
    });
    assert.match(response.output_text, /^I see 2 images/);
  });

  it('AI SDK file parts and AG-UI image parts', async () => {
    const transport = new DefaultChatTransport({ api: `${server.url}/ai-sdk/chat` });
    const message: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Look at this' }, { type: 'file', mediaType: 'image/png', url: PNG }] };
    const stream = await transport.sendMessages({ chatId: 'chat-image', messages: [message], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    let last: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream({ stream })) last = snapshot;
    const text = last!.parts.filter((part) => part.type === 'text').map((part) => (part as { text: string }).text).join('');
    assert.match(text, /^I see 1 image/);

    const agent = new HttpAgent({
      url: `${server.url}/agui/chat`,
      initialMessages: [{ id: 'u1', role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'data', mimeType: 'image/png', value: PNG.split(',')[1]! } }] }],
    });
    const { newMessages } = await agent.runAgent();
    const answer = newMessages.filter((item) => item.role === 'assistant').map((item) => (typeof item.content === 'string' ? item.content : '')).join('');
    assert.match(answer, /^I see 1 image/);
  });

  it('a model that cannot take images, an image for a team, and a bad image URL are refused before any run', async () => {
    await assert.rejects(client.chat.completions.create({
      model: 'slow_chat', messages: [{ role: 'user', content: [{ type: 'text', text: 'See?' }, { type: 'image_url', image_url: { url: PNG } }] }],
    }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.code, 'images_not_supported');
      assert.match(error.message, /does not take image inputs/);
      return true;
    });
    const native = await fetch(`${server.url}/ai-sdk/slow_chat`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'c2', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'See?' }, { type: 'file', mediaType: 'image/png', url: PNG }] }] }),
    });
    assert.equal(native.status, 422);
    assert.equal(((await native.json()) as { error: { code: string } }).error.code, 'images_not_supported');
    await assert.rejects(client.chat.completions.create({
      model: 'research', messages: [{ role: 'user', content: [{ type: 'text', text: 'See?' }, { type: 'image_url', image_url: { url: PNG } }] }],
    }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'images_not_supported');
    await assert.rejects(client.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: [{ type: 'text', text: 'See?' }, { type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }],
    }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'validation_failed');
  });
});
