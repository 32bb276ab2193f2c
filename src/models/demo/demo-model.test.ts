import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeModelContract } from '../model-contract.ts';
import { DEMO_LABEL } from './compose-answer.ts';
import { createDemoModel } from './demo-model.ts';
import { CALCULATOR, callWith, finishOf, ORDINARY_TOOLS, streamParts, textOf, toolCallsOf, toolExchange } from './test-calls.ts';

describeModelContract('demo', () => createDemoModel({ tokenDelayMs: 5 }));

describe('demo model stream', () => {
  test('identifies itself as the demo provider', () => {
    const model = createDemoModel({ tokenDelayMs: 0 });
    assert.deepEqual(
      { specificationVersion: model.specificationVersion, provider: model.provider, modelId: model.modelId, supportedUrls: model.supportedUrls },
      { specificationVersion: 'v4', provider: 'demo', modelId: 'demo', supportedUrls: {} },
    );
  });

  test('an answer is framed as start, metadata, reasoning, text, finish', async () => {
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 0 }), callWith({ user: 'Hello there' }));
    const framing = parts.filter((part) => !part.type.endsWith('-delta')).map((part) => part.type);
    assert.deepEqual(framing, ['stream-start', 'response-metadata', 'reasoning-start', 'reasoning-end', 'text-start', 'text-end', 'finish']);
    assert.ok(parts.filter((part) => part.type === 'reasoning-delta').length > 5, 'the thinking comes in word-sized deltas');
    assert.deepEqual(finishOf(parts).finishReason, { unified: 'stop', raw: 'stop' });
  });

  test('a tool step streams the input in 1-3 pieces, then the call, and finishes with tool-calls', async () => {
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 0 }), callWith({ user: 'What is 12 * (3 + 4)?', tools: [CALCULATOR] }));
    const framing = parts.filter((part) => part.type !== 'reasoning-delta' && part.type !== 'tool-input-delta').map((part) => part.type);
    assert.deepEqual(framing, ['stream-start', 'response-metadata', 'reasoning-start', 'reasoning-end', 'tool-input-start', 'tool-input-end', 'tool-call', 'finish']);
    const pieces = parts.filter((part) => part.type === 'tool-input-delta');
    assert.ok(pieces.length >= 1 && pieces.length <= 3);
    const call = parts.find((part) => part.type === 'tool-call');
    assert.match(call?.toolCallId ?? '', /^call_[0-9a-f]{16}$/);
    assert.equal(pieces.map((piece) => piece.delta).join(''), call?.input);
    assert.deepEqual(finishOf(parts).finishReason, { unified: 'tool-calls', raw: 'tool_calls' });
  });

  test('text deltas are one word each, with their trailing space or punctuation', async () => {
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 0 }), callWith({ user: 'Tell me something useful' }));
    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
    for (const delta of deltas) assert.match(delta, /^\S+\s*$/);
    assert.ok(deltas.length >= 60 && deltas.length <= 120, `${deltas.length} deltas`);
  });

  test('usage: input ≈ prompt chars / 4, output = deltas, reasoning = reasoning deltas', async () => {
    const call = callWith({ system: 'You are terse.', user: 'Explain streaming' });
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 0 }), call);
    const { usage } = finishOf(parts);
    const promptChars = 'You are terse.\nExplain streaming'.length;
    assert.equal(usage.inputTokens.total, Math.ceil(promptChars / 4));
    assert.equal(usage.outputTokens.total, parts.filter((part) => part.type.endsWith('-delta')).length);
    assert.equal(usage.outputTokens.reasoning, parts.filter((part) => part.type === 'reasoning-delta').length);
  });

  test('every answer ends with the demo label line', async () => {
    const model = createDemoModel({ tokenDelayMs: 0 });
    for (const user of ['Hi', 'What is 2+2?', 'Write a haiku about the sea']) {
      const text = textOf(await streamParts(model, callWith({ user })));
      assert.ok(text.endsWith(`\n\n${DEMO_LABEL}`), text);
    }
  });

  test('"End with <WORD>" in the instructions puts that word on its own line after the label', async () => {
    const model = createDemoModel({ tokenDelayMs: 0 });
    const stopped = textOf(await streamParts(model, callWith({ system: 'You are a writer in a group chat. End with TERMINATE when you are done.', user: 'Draft a tagline' })));
    assert.ok(stopped.endsWith(`${DEMO_LABEL}\nTERMINATE`), stopped);
    const custom = textOf(await streamParts(model, callWith({ system: 'Reviewer. end with APPROVED once it is good.', user: 'Review the draft' })));
    assert.ok(custom.endsWith('\nAPPROVED'));
    const plain = textOf(await streamParts(model, callWith({ system: 'End with a question to the user.', user: 'Draft a tagline' })));
    assert.ok(plain.endsWith(DEMO_LABEL), 'a lower-case word after "End with" is not a stop word');
  });

  test('the same call gives byte-identical parts (timestamp aside)', async () => {
    const model = createDemoModel({ tokenDelayMs: 0 });
    const call = callWith({ system: 'You are an analyst.', user: 'How did sales do by region?', tools: ORDINARY_TOOLS, after: toolExchange('sales_data', { metric: 'revenue', groupBy: ['region'] }, { rows: [{ region: 'Europe', revenue: 1200000 }, { region: 'Asia', revenue: 800000 }] }) });
    const withoutTime = (parts: unknown[]) => JSON.stringify(parts, (key, value: unknown) => (key === 'timestamp' ? undefined : value));
    const first = withoutTime(await streamParts(model, call));
    const second = withoutTime(await streamParts(createDemoModel({ tokenDelayMs: 0 }), call));
    assert.equal(first, second);
  });

  test('paces deltas tokenDelayMs apart', async () => {
    const started = performance.now();
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 10 }), callWith({ user: 'Say hello' }));
    const elapsed = performance.now() - started;
    const deltas = parts.filter((part) => part.type.endsWith('-delta')).length;
    assert.ok(elapsed >= (deltas - 1) * 10 * 0.8, `${deltas} deltas in ${elapsed.toFixed(0)} ms`);
  });

  test('with tokenDelayMs 0 the whole answer streams in well under 50 ms', async () => {
    const model = createDemoModel({ tokenDelayMs: 0 });
    const call = callWith({ user: 'Say hello' });
    await streamParts(model, call); // warm-up: module and regex compilation are not what is measured
    const started = performance.now();
    const parts = await streamParts(model, call);
    const elapsed = performance.now() - started;
    assert.ok(parts.filter((part) => part.type === 'text-delta').length >= 40);
    assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
  });

  test('abort during a pause clears the timer and errors with the signal reason', async () => {
    const controller = new AbortController();
    const { stream } = await createDemoModel({ tokenDelayMs: 1000 }).doStream({ ...callWith({ user: 'Say hello' }), abortSignal: controller.signal });
    const reader = stream.getReader();
    let deltas = 0;
    while (deltas < 1) if ((await reader.read()).value?.type === 'reasoning-delta') deltas++;
    const reason = new DOMException('Run cancelled', 'AbortError');
    setTimeout(() => controller.abort(reason), 20);
    const started = performance.now();
    await assert.rejects(reader.read(), (error) => error === reason);
    assert.ok(performance.now() - started < 200);
  });

  test('doGenerate drains the same step without delays', async () => {
    const model = createDemoModel({ tokenDelayMs: 50 });
    const call = callWith({ user: 'What is 2 + 2?', tools: [CALCULATOR], after: toolExchange('calculator', { expression: '2 + 2' }, { result: 4 }) });
    const started = performance.now();
    const result = await model.doGenerate(call);
    assert.ok(performance.now() - started < 50);
    const streamed = await streamParts(createDemoModel({ tokenDelayMs: 0 }), call);
    assert.deepEqual(result.content.map((part) => part.type), ['reasoning', 'text']);
    assert.equal(result.content[1]?.type === 'text' ? result.content[1].text : '', textOf(streamed));
    assert.deepEqual(result.finishReason, { unified: 'stop', raw: 'stop' });
    assert.deepEqual(result.usage, finishOf(streamed).usage);
    assert.deepEqual(result.warnings, []);
    await assert.rejects(Promise.resolve(model.doGenerate({ ...call, abortSignal: AbortSignal.abort() })), { name: 'AbortError' });
  });
});

describe('demo:bench variant', () => {
  test('step 1 calls the first offered tool, step 2 streams exactly 500 one-word deltas without reasoning', async () => {
    const model = createDemoModel({ tokenDelayMs: 0, modelId: 'demo:bench' });
    const first = await streamParts(model, callWith({ user: 'anything', tools: ORDINARY_TOOLS }));
    assert.deepEqual(toolCallsOf(first), [{ toolName: 'calculator', input: { expression: '2+2' } }]);
    assert.ok(!first.some((part) => part.type.startsWith('reasoning')));

    const second = await streamParts(model, callWith({ user: 'anything', tools: ORDINARY_TOOLS, after: toolExchange('calculator', { expression: '2+2' }, 4) }));
    const deltas = second.filter((part) => part.type === 'text-delta');
    assert.equal(deltas.length, 500);
    assert.ok(!second.some((part) => part.type.startsWith('reasoning')));
    assert.ok(textOf(second).endsWith(DEMO_LABEL));
    assert.equal(finishOf(second).usage.outputTokens.total, 500);
  });

  test('benchTextDeltas sets the count, and with no tools step 1 is the answer', async () => {
    const parts = await streamParts(createDemoModel({ tokenDelayMs: 0, benchTextDeltas: 37 }), callWith({ user: 'anything' }));
    assert.equal(parts.filter((part) => part.type === 'text-delta').length, 37);
  });
});
