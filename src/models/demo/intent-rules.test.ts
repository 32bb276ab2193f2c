import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { createDemoModel } from './demo-model.ts';
import { CALCULATOR, callWith, CLOCK, finishOf, KNOWLEDGE_SEARCH, ORDINARY_TOOLS, SALES_DATA, streamParts, teamTool, textOf, toolCallsOf, toolExchange, type CallSpec } from './test-calls.ts';

const model = createDemoModel({ tokenDelayMs: 0 });
const run = async (spec: CallSpec) => streamParts(model, callWith(spec));
const callsFor = async (user: string, tools: LanguageModelV4FunctionTool[] = ORDINARY_TOOLS) => toolCallsOf(await run({ user, tools }));

const MEMBERS = {
  designer: 'Designs visual layouts, colour palettes and mockups',
  copywriter: 'Writes headlines, taglines and marketing copy',
  frontend: 'Builds responsive web pages in React and HTML',
};
const memberIds = Object.keys(MEMBERS);
const ROUTE = teamTool('route_to_member', MEMBERS, {
  type: 'object',
  properties: { memberId: { type: 'string', enum: memberIds }, reason: { type: 'string' } },
  required: ['memberId', 'reason'],
});
const DELEGATE = teamTool('delegate_tasks', MEMBERS, {
  type: 'object',
  properties: { tasks: { type: 'array', items: { type: 'object', properties: { memberId: { type: 'string', enum: memberIds }, task: { type: 'string' } } } } },
  required: ['tasks'],
});
const PLAN: LanguageModelV4FunctionTool = {
  type: 'function',
  name: 'submit_plan',
  description: 'Submit the research plan.',
  inputSchema: { type: 'object', properties: { items: { type: 'array', items: { type: 'string' } } }, required: ['items'] },
};

describe('ordinary intent rules', () => {
  test('arithmetic calls the calculator with just the expression', async () => {
    assert.deepEqual(await callsFor('What is 12 * (3 + 4)?'), [{ toolName: 'calculator', input: { expression: '12 * (3 + 4)' } }]);
    assert.deepEqual(await callsFor('Please compute sqrt(16) plus 2 for me'), [{ toolName: 'calculator', input: { expression: 'sqrt(16) + 2' } }]);
    assert.deepEqual(await callsFor("What's 1,200 divided by 4?"), [{ toolName: 'calculator', input: { expression: '1200 / 4' } }]);
  });

  test('time words call the clock with the zone named, a city\'s zone, or UTC', async () => {
    assert.deepEqual(await callsFor('What time is it in Tokyo?'), [{ toolName: 'clock', input: { timeZone: 'Asia/Tokyo' } }]);
    assert.deepEqual(await callsFor("What's the date today in America/New_York?"), [{ toolName: 'clock', input: { timeZone: 'America/New_York' } }]);
    assert.deepEqual(await callsFor('Check the clock'), [{ toolName: 'clock', input: { timeZone: 'UTC' } }]);
  });

  test('sales words call sales_data, grouped by what the text mentions', async () => {
    assert.deepEqual(await callsFor('Show me revenue by region'), [{ toolName: 'sales_data', input: { metric: 'revenue', groupBy: ['region'] } }]);
    assert.deepEqual(await callsFor('Generate a monthly business report for our sales performance'), [{ toolName: 'sales_data', input: { metric: 'revenue', groupBy: ['month'], orderBy: 'key' } }]);
    assert.deepEqual(await callsFor('Revenue by region and channel'), [{ toolName: 'sales_data', input: { metric: 'revenue', groupBy: ['region', 'channel'] } }]);
    assert.deepEqual(await callsFor('How many units did each product sell?'), [{ toolName: 'sales_data', input: { metric: 'units', groupBy: ['product'] } }]);
  });

  test('search phrases call knowledge_search with the request phrasing stripped', async () => {
    assert.deepEqual(await callsFor('Tell me about the history of Rome'), [{ toolName: 'knowledge_search', input: { query: 'history of Rome' } }]);
    assert.deepEqual(await callsFor('Can you research solid-state batteries?'), [{ toolName: 'knowledge_search', input: { query: 'solid-state batteries' } }]);
  });

  test('independent matches are called together; search only when nothing else matched', async () => {
    assert.deepEqual(await callsFor('What is 2+2, and what time is it in London?'), [
      { toolName: 'calculator', input: { expression: '2+2' } },
      { toolName: 'clock', input: { timeZone: 'Europe/London' } },
    ]);
  });

  test('only offered tools are called, and toolChoice none means none', async () => {
    assert.deepEqual(await callsFor('What is 2+2?', [CLOCK]), []);
    assert.deepEqual(await callsFor('What is 2+2?', [KNOWLEDGE_SEARCH]), [{ toolName: 'knowledge_search', input: { query: '2+2' } }]);
    assert.deepEqual(toolCallsOf(await run({ user: 'What is 2+2?', tools: ORDINARY_TOOLS, toolChoice: { type: 'none' } })), []);
  });

  test('instructions naming exactly one offered tool call it when no phrase rule matched', async () => {
    const searcher = 'You are a research assistant. Search for the given query with knowledge_search and summarise the results.';
    assert.deepEqual(toolCallsOf(await run({ system: searcher, user: 'Impact of AI on healthcare overview', tools: [KNOWLEDGE_SEARCH] })), [
      { toolName: 'knowledge_search', input: { query: 'Impact of AI on healthcare overview' } },
    ]);
    const assistant = 'Use the tools when they help: calculator for arithmetic, clock for the time, sales_data for sales, knowledge_search to look facts up.';
    assert.deepEqual(toolCallsOf(await run({ system: assistant, user: 'Write a haiku about autumn', tools: ORDINARY_TOOLS })), []);
  });

  test('a request no rule matches is answered directly', async () => {
    const parts = await run({ user: 'Write a haiku about autumn leaves', tools: ORDINARY_TOOLS });
    assert.deepEqual(toolCallsOf(parts), []);
    assert.equal(finishOf(parts).finishReason.unified, 'stop');
  });
});

describe('answers after tool results', () => {
  test('quotes the calculator result and does not call it again', async () => {
    const parts = await run({ user: 'What is 12 * (3 + 4)?', tools: ORDINARY_TOOLS, after: toolExchange('calculator', { expression: '12 * (3 + 4)' }, { expression: '12 * (3 + 4)', result: 84 }) });
    assert.deepEqual(toolCallsOf(parts), []);
    assert.equal(finishOf(parts).finishReason.unified, 'stop');
    assert.match(textOf(parts), /The calculator gives \*\*84\*\* for `12 \* \(3 \+ 4\)`\./);
  });

  test('quotes sales figures per group, the leader and the total', async () => {
    const rows = [{ region: 'Europe', value: 1200000 }, { region: 'North America', value: 950000 }, { region: 'Asia', value: 700000 }];
    const result = { metric: 'revenue', groupBy: ['region'], rows, total: 2850000, rowCount: 3, groupCount: 3 };
    const text = textOf(await run({ system: 'You are a data analyst.', user: 'Revenue by region?', tools: [SALES_DATA], after: toolExchange('sales_data', { metric: 'revenue', groupBy: ['region'] }, result) }));
    assert.match(text, /Revenue by region: Europe \$1\.2M, North America \$950K, Asia \$700K\./);
    assert.match(text, /Europe leads with \$1\.2M, out of \$2\.9M in total\./);
  });

  test('reads a monthly trend in time order', async () => {
    const rows = [{ month: '2025-02', value: 300 }, { month: '2025-01', value: 200 }];
    const text = textOf(await run({ user: 'Monthly units trend', tools: [SALES_DATA], after: toolExchange('sales_data', { metric: 'units', groupBy: ['month'] }, { metric: 'units', groupBy: ['month'], rows }) }));
    assert.match(text, /Units by month: 2025-01 200, 2025-02 300\. From 2025-01 to 2025-02 it moved from 200 to 300 \(\+50\.0%\)\./);
  });

  test('quotes search titles, the clock time, and a failure', async () => {
    const search = textOf(await run({ user: 'Tell me about solar power', tools: [KNOWLEDGE_SEARCH], after: toolExchange('knowledge_search', { query: 'solar power' }, { results: [{ title: 'Solar PV basics', snippet: 'Photovoltaic cells turn sunlight into electricity.' }] }) }));
    assert.match(search, /"Solar PV basics"/);
    assert.match(search, /Photovoltaic cells turn sunlight into electricity\./);
    const now = { timeZone: 'Europe/Paris', iso: '2026-11-24T14:05:00+01:00', date: '2026-11-24', time: '14:05:00', weekday: 'Tuesday', utcOffset: '+01:00' };
    const clock = textOf(await run({ user: 'What time is it in Paris?', tools: [CLOCK], after: toolExchange('clock', { timeZone: 'Europe/Paris' }, now) }));
    assert.match(clock, /The clock reports \*\*Tuesday, 2026-11-24, 14:05:00\*\* in Europe\/Paris \(UTC\+01:00\)\./);
    const failed = textOf(await run({ user: 'What is 1/0?', tools: [CALCULATOR], after: [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'calculator', input: { expression: '1/0' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'calculator', output: { type: 'error-text', value: 'Division by zero' } }] },
    ] }));
    assert.match(failed, /The calculator tool failed \(Division by zero\)/);
  });
});

describe('team tools', () => {
  test('route_to_member picks the member sharing the most words', async () => {
    const calls = await callsFor('Create a landing page headline copy', [ROUTE, ...ORDINARY_TOOLS]);
    assert.deepEqual(calls, [{ toolName: 'route_to_member', input: { memberId: 'copywriter', reason: "Best match for 'headline, copy'" } }]);
  });

  test('route_to_member and delegate_tasks with the web team\'s own member descriptions', async () => {
    const webTeam = {
      designer: 'Designs page layout, visual hierarchy, color palette and typography for landing pages and websites.',
      copywriter: 'Writes marketing copy: headlines, taglines, calls to action and persuasive page text.',
      frontend_developer: 'Builds pages in HTML, CSS and JavaScript or React code; responsive and accessible implementation.',
    };
    const route = teamTool('route_to_member', webTeam, { type: 'object', properties: { memberId: { type: 'string', enum: Object.keys(webTeam) }, reason: { type: 'string' } } });
    const [routed] = await callsFor('Create a landing page headline copy', [route]);
    assert.deepEqual(routed?.input, { memberId: 'copywriter', reason: "Best match for 'page, headline, copy'" });
    const delegate = teamTool('delegate_tasks', webTeam, { type: 'object', properties: { tasks: { type: 'array' } } });
    const [delegated] = await callsFor('Create a landing page for our AI assistant', [delegate]);
    assert.deepEqual((delegated?.input as { tasks: Array<{ task: string }> }).tasks.map((task) => task.task.split(' for: ')[0]), [
      'Design page layout, visual hierarchy, color palette and typography for landing pages',
      'Write marketing copy',
      'Build pages in HTML, CSS and JavaScript or React code',
    ]);
  });

  test('route_to_member: ties go to the first listed, no match defaults to the first', async () => {
    assert.deepEqual(await callsFor('Palettes and pages', [ROUTE]), [{ toolName: 'route_to_member', input: { memberId: 'designer', reason: "Best match for 'palettes'" } }]);
    assert.deepEqual(await callsFor('Tell me a joke', [ROUTE]), [{ toolName: 'route_to_member', input: { memberId: 'designer', reason: 'No specific match; defaulting to designer' } }]);
  });

  test('delegate_tasks gives every matching member a sub-task, or everyone when none match', async () => {
    const request = 'Write the headline copy and build the page in React';
    assert.deepEqual(await callsFor(request, [DELEGATE]), [{
      toolName: 'delegate_tasks',
      input: { tasks: [
        { memberId: 'copywriter', task: `Write headlines, taglines and marketing copy for: ${request}` },
        { memberId: 'frontend', task: `Build responsive web pages in React and HTML for: ${request}` },
      ] },
    }]);
    const [everyone] = await callsFor('Surprise me', [DELEGATE]);
    assert.deepEqual((everyone?.input as { tasks: Array<{ memberId: string }> }).tasks.map((task) => task.memberId), memberIds);
  });

  test('submit_plan gives three items about the topic', async () => {
    assert.deepEqual(await callsFor('Research the impact of AI on healthcare', [PLAN, KNOWLEDGE_SEARCH]), [{
      toolName: 'submit_plan',
      input: { items: ['Impact of AI on healthcare overview', 'Impact of AI on healthcare recent developments', 'Impact of AI on healthcare key challenges'] },
    }]);
  });

  test('a synthesis prompt gets one line per member and no tool call', async () => {
    const user = 'Create a landing page\n\n## Result from designer\nTask: Design the page for: Create a landing page\nDesign direction:\n- **Layout:** a single hero section with one call to action.\n\n## Result from copywriter\nTask: Write the copy\n**Headline:** Ship Faster, Worry Less\n\n_(demo (simulated) model — no LLM was called.)_';
    const parts = await run({ system: 'You are the team orchestrator. Synthesise the member results.', user, tools: [ROUTE] });
    assert.deepEqual(toolCallsOf(parts), []);
    const text = textOf(parts);
    assert.match(text, /- \*\*designer:\*\* Layout: a single hero section with one call to action\./);
    assert.match(text, /- \*\*copywriter:\*\* Headline: Ship Faster, Worry Less\./);
  });
});

describe('answer text', () => {
  test('leans to the role in the instructions', async () => {
    const user = 'Create a landing page headline copy';
    assert.match(textOf(await run({ system: 'You are a copywriter.', user })), /\*\*Headline:\*\* Landing Page Headline Copy/);
    assert.match(textOf(await run({ system: 'You are a senior UI designer.', user })), /\*\*Layout:\*\*/);
    assert.match(textOf(await run({ system: 'You are a planner.', user: 'Plan a product launch' })), /^Plan for product launch:/);
  });

  test('in a group chat, builds on earlier speakers and still ends with the stop word', async () => {
    const call = callWith({ system: 'You are a report writer. End with TERMINATE', user: 'Generate a monthly business report' });
    call.prompt.splice(1, 0,
      { role: 'assistant', content: [{ type: 'text', text: 'PlanningAgent: 1. Pull revenue by month.\n2. Write the report.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'DataAnalyst: Revenue by month: 2025-01 $1.1M, 2025-02 $1.3M.' }] });
    const text = textOf(await streamParts(model, call));
    assert.match(text, /- \*\*PlanningAgent:\*\* Pull revenue by month\./);
    assert.match(text, /- \*\*DataAnalyst:\*\* Revenue by month: 2025-01 \$1\.1M, 2025-02 \$1\.3M\./);
    assert.ok(text.endsWith('\nTERMINATE'));
  });

  test('a delegated sub-task takes its topic from the original request', async () => {
    const text = textOf(await run({ system: 'You are a copywriter.', user: 'Write marketing copy for: Create a landing page for our AI assistant' }));
    assert.match(text, /^Copy for landing page for our AI assistant:/);
  });

  test('stays between 40 and 150 words, however long the input', async () => {
    const long = 'Explain the trade-offs of event sourcing '.repeat(60);
    const manySections = Array.from({ length: 12 }, (_, index) => `## Result from member-${index}\n${'Long findings sentence with many words in it '.repeat(10)}.`).join('\n\n');
    const specs: CallSpec[] = [
      { user: 'Hi' },
      { user: long },
      { system: 'You are an analyst.', user: manySections },
      { user: 'What is 2+2?', tools: [CALCULATOR], after: toolExchange('calculator', { expression: '2+2' }, 4) },
      { user: 'Sales by month', tools: [SALES_DATA], after: toolExchange('sales_data', { metric: 'revenue', groupBy: ['month'] }, { rows: Array.from({ length: 24 }, (_, month) => ({ month: `2025-${month + 1}`, revenue: 1000 * (month + 1) })) }) },
    ];
    for (const spec of specs) {
      const deltas = (await run(spec)).filter((part) => part.type === 'text-delta').length;
      assert.ok(deltas >= 40 && deltas <= 150, `${deltas} words for "${spec.user.slice(0, 30)}"`);
    }
  });
});
