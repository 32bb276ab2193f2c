import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AbstractChat, DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, lastAssistantMessageIsCompleteWithToolCalls, type ChatState, type ChatStatus, type UIMessage } from 'ai';
import { startTestServer, type TestServer } from './support/test-server.ts';

/** The state useChat keeps (React's is the same, with re-renders): a plain array here. */
class MemoryChatState implements ChatState<UIMessage> {
  status: ChatStatus = 'ready';
  error: Error | undefined = undefined;
  messages: UIMessage[] = [];
  pushMessage = (message: UIMessage) => void this.messages.push(message);
  popMessage = () => void this.messages.pop();
  replaceMessage = (index: number, message: UIMessage) => {
    this.messages[index] = message;
  };
  snapshot = <T,>(thing: T): T => structuredClone(thing);
}

/** useChat without React: the AI SDK's own AbstractChat, which useChat wraps, over its DefaultChatTransport. */
class TestChat extends AbstractChat<UIMessage> {
  #finished: (() => void)[] = [];
  constructor(api: string, id: string) {
    const state = new MemoryChatState();
    super({
      id, state, transport: new DefaultChatTransport({ api }),
      // As an app would configure useChat for approvals and client-answered questions.
      sendAutomaticallyWhen: (options) => lastAssistantMessageIsCompleteWithApprovalResponses(options) || lastAssistantMessageIsCompleteWithToolCalls(options),
      onFinish: () => {
        for (const resolve of this.#finished.splice(0)) resolve();
      },
    });
  }
  /** Resolves when the next response has finished. */
  nextFinish(): Promise<void> {
    return new Promise((resolve) => this.#finished.push(resolve));
  }
  get last(): UIMessage {
    return this.messages.at(-1)!;
  }
}

type ToolPart = { type: string; toolCallId: string; state: string; input?: unknown; output?: unknown; approval?: { id: string; approved?: boolean } };
const toolParts = (message: UIMessage) => message.parts.filter((part) => part.type.startsWith('tool-')) as unknown as ToolPart[];
const textOf = (message: UIMessage) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe('AI SDK useChat tool approvals (human in the loop)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('shows the approval request, and addToolApprovalResponse continues the same run to its answer', async () => {
    const chat = new TestChat(`${server.url}/ai-sdk/supervised`, 'chat-approve');
    await chat.sendMessage({ text: 'What is 12 * 7?' });
    const [asked] = toolParts(chat.last);
    assert.equal(chat.last.role, 'assistant');
    assert.deepEqual([asked.type, asked.state, asked.input], ['tool-calculator', 'approval-requested', { expression: '12 * 7' }]);
    const runId = asked.approval!.id.split(':')[0];
    assert.equal((await (await fetch(`${server.url}/v1/runs/${runId}`)).json()).status, 'awaiting_input');

    const finished = chat.nextFinish();
    await chat.addToolApprovalResponse({ id: asked.approval!.id, approved: true });
    await finished;
    assert.equal(chat.messages.length, 2, 'the answer continues the same assistant message');
    const [done] = toolParts(chat.last);
    assert.equal(done.state, 'output-available');
    assert.deepEqual(done.output, { expression: '12 * 7', result: 84 });
    assert.match(textOf(chat.last), /84/);
    const run = await (await fetch(`${server.url}/v1/runs/${runId}`)).json();
    assert.equal(run.status, 'completed');
  });

  it('a denied approval ends the call denied, and the run goes on without it', async () => {
    const chat = new TestChat(`${server.url}/ai-sdk/supervised`, 'chat-deny');
    await chat.sendMessage({ text: 'What is 12 * 7?' });
    const [asked] = toolParts(chat.last);
    const finished = chat.nextFinish();
    await chat.addToolApprovalResponse({ id: asked.approval!.id, approved: false, reason: 'not now' });
    await finished;
    const [denied] = toolParts(chat.last);
    assert.equal(denied.state, 'output-denied');
    const runId = asked.approval!.id.split(':')[0];
    const events = await (await fetch(`${server.url}/v1/runs/${runId}/events`)).text();
    assert.match(events, /"code":"tool_rejected"/);
    assert.match(events, /not now/);
    assert.equal((await (await fetch(`${server.url}/v1/runs/${runId}`)).json()).status, 'completed');
  });

  it('a question (ask_user) is answered with addToolOutput', async () => {
    const chat = new TestChat(`${server.url}/ai-sdk/supervised`, 'chat-ask');
    await chat.sendMessage({ text: 'Ask me: which city are you in?' });
    const [question] = toolParts(chat.last);
    assert.deepEqual([question.type, question.state, question.input], ['tool-ask_user', 'input-available', { question: 'which city are you in?' }]);
    const finished = chat.nextFinish();
    await chat.addToolOutput({ tool: 'ask_user' as never, toolCallId: question.toolCallId, output: 'Lisbon' as never });
    await finished;
    assert.deepEqual(toolParts(chat.last)[0].output, { answer: 'Lisbon' });
    assert.match(textOf(chat.last), /Lisbon/);
  });
});
