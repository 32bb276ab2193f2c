import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/events/run-event.ts';
import { startLoopbackProvider, type LoopbackProvider } from './support/loopback-provider.ts';
import { openaiError } from './support/openai-chat-wire.ts';
import { assertWellFormed, startProviderServer, type ProviderTestServer } from './support/provider-test-server.ts';

// A team whose members all fail must end `run.failed` (`team_failed`, the members' errors in details), and must not
// keep sending the request that failed upstream to its other members and rounds. The provider is a loopback server
// speaking OpenAI's wire format that answers every request 500; the upstream requests are counted.

const MODEL = 'openai-chat:gpt-4.1-mini';
const ATTEMPTS_PER_CALL = 4; // 1 + the default 3 retries

describe('teams whose members all fail (a provider that always answers 500)', () => {
  let upstream: LoopbackProvider;
  let server: ProviderTestServer;

  before(async () => {
    upstream = await startLoopbackProvider(() => ({ kind: 'json', status: 500, body: openaiError('The server had an error while processing your request.', 'server_error') }));
    server = await startProviderServer({
      env: { OPENAI_API_KEY: 'sk-loopback-teams-0123456789abcdef', OPENAI_BASE_URL: upstream.url },
      overrides: { modelRetryBaseDelayMs: 1, modelRetryMaxDelayMs: 50 },
      // The orchestrators of these teams decide on the demo model, so the failures are their members'.
      config: {
        teams: [
          { id: 'pick_one', mode: 'route', model: 'demo', description: 'Routes to one member.', instructions: 'Route.', members: ['designer', 'copywriter'] },
          { id: 'split_work', mode: 'coordinate', model: 'demo', description: 'Delegates.', instructions: 'Delegate.', members: ['designer', 'copywriter', 'frontend_developer'] },
          { id: 'everyone', mode: 'collaborate', model: 'demo', description: 'Everyone at once.', instructions: 'Synthesise.', members: ['designer', 'copywriter', 'frontend_developer'] },
        ],
      },
    });
  });

  after(async () => {
    await server.close();
    await upstream.close();
  });

  async function runTeam(team: string, input: string): Promise<{ events: RunEvent[]; requests: number }> {
    const before = upstream.requests.length;
    const events = await server.run({ team, input, model: MODEL });
    return { events, requests: upstream.requests.length - before };
  }

  function assertTeamFailed(events: RunEvent[], team: string): { member: string; code: string; message: string }[] {
    assertWellFormed(events);
    const last = events.at(-1)!;
    assert.equal(last.type, 'run.failed', `${team} ended ${last.type}${last.type === 'run.completed' ? ` with output ${JSON.stringify(last.output)}` : ''}`);
    assert.equal(last.error.code, 'team_failed');
    const details = last.error.details as { team: string; failures: { member: string; code: string; message: string }[] };
    assert.equal(details.team, team);
    assert.ok(details.failures.length > 0, 'the members\' errors are in details');
    assert.equal(details.failures[0].code, 'upstream_error');
    assert.match(details.failures[0].message, /500/);
    return details.failures;
  }

  it('round_robin (business_insights): fails after one member\'s attempts, not 40 turns of them', async () => {
    const { events, requests } = await runTeam('business_insights', 'Write the Q3 sales report');
    const failures = assertTeamFailed(events, 'business_insights');
    assert.equal(requests, ATTEMPTS_PER_CALL, 'the same failing request is not sent for the other members and rounds');
    assert.deepEqual(failures.map((failure) => failure.member), ['planning_agent', 'data_analyst', 'report_writer']);
  });

  it('pipeline (research): fails at its first stage, the later stages are not run', async () => {
    const { events, requests } = await runTeam('research', 'Research the history of SSE');
    const failures = assertTeamFailed(events, 'research');
    assert.equal(requests, ATTEMPTS_PER_CALL);
    assert.deepEqual(failures.map((failure) => failure.member), ['research_planner']);
    assert.ok(!events.some((event) => event.type === 'agent.started' && event.agent.id === 'research_writer'), 'the writer stage never ran');
  });

  it('route: the chosen member failed, so the team failed', async () => {
    const { events, requests } = await runTeam('pick_one', 'Design a landing page');
    assertTeamFailed(events, 'pick_one');
    assert.equal(requests, ATTEMPTS_PER_CALL);
  });

  it('coordinate and collaborate: every member failed, nothing is synthesised', async () => {
    for (const team of ['split_work', 'everyone']) {
      const { events, requests } = await runTeam(team, 'Build a landing page: design, copy and code');
      assertTeamFailed(events, team);
      // Members run in parallel, so each may have been in flight already; none is asked more than its own attempts.
      assert.ok(requests >= ATTEMPTS_PER_CALL && requests <= 3 * ATTEMPTS_PER_CALL, `${team}: ${requests} upstream requests`);
      assert.ok(!events.some((event) => event.type === 'message.delta' && event.agent.role === 'orchestrator'), `${team}: no synthesis of failures`);
    }
  });
});
