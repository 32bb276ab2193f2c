// Prints what each built-in team emits (types, paths, routing, progress): a quick look at team event shapes.
import { startTestServer } from '../test/e2e/support/test-server.ts';
import { collectRunEvents, postJson } from '../test/e2e/support/sse.ts';
const s = await startTestServer({ demoTokenDelayMs: 2 });
for (const [team, input] of [['web_team', 'Create a landing page'], ['business_insights', 'Generate a monthly business report for our sales performance'], ['research', 'AI trends 2024']]) {
  const t0 = performance.now();
  const events = await collectRunEvents(await postJson(`${s.url}/v1/runs`, { team, input }));
  console.log('==', team, events.length, 'events', Math.round(performance.now() - t0), 'ms');
  for (const e of events) {
    if (e.type === 'message.delta' || e.type === 'reasoning.delta' || e.type==='usage') continue;
    const extra = e.type === 'team.routed' ? `${e.memberIds} :: ${e.reason}` : e.type === 'tool.started' ? `${e.toolName} ${JSON.stringify(e.args)}` : e.type === 'progress' ? `${e.percent}` : e.type==='run.failed' ? JSON.stringify(e.error) : e.type === 'agent.completed' ? (e.error ? JSON.stringify(e.error) : e.output.slice(0, 80).replace(/\n/g,' ')) : e.type === 'message.completed' ? e.text.slice(0,100).replace(/\n/g,' ') : '';
    console.log(e.seq, e.type, JSON.stringify(e.agent.path), extra);
  }
}
await s.close();
