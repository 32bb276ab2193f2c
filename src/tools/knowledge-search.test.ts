import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createKnowledgeSearchTool, KNOWLEDGE_DIRECTORY_URL } from './knowledge-search.ts';

const context = { signal: new AbortController().signal, runId: 'run-1', agent: { id: 'a', name: 'A', role: 'agent' as const, path: [] } };
const tool = createKnowledgeSearchTool();
type Result = { id: string; title: string; snippet: string; score: number };
const search = (input: unknown) => tool.execute(tool.parse(input), context) as Promise<{ query: string; results: Result[] }>;

describe('knowledge articles', () => {
  it('has about 25 short articles, each with a title line', () => {
    const files = readdirSync(KNOWLEDGE_DIRECTORY_URL).filter((file) => file.endsWith('.md'));
    assert.ok(files.length >= 25, `${files.length} articles`);
    for (const file of files) {
      const text = readFileSync(new URL(file, KNOWLEDGE_DIRECTORY_URL), 'utf8');
      assert.match(text, /^# \S/, file);
      const words = text.split(/\s+/).filter(Boolean).length;
      assert.ok(words >= 100 && words <= 300, `${file}: ${words} words`);
    }
  });
});

describe('knowledgeSearchTool', () => {
  it('finds the right article for natural questions', async () => {
    const cases: Array<[string, string]> = [
      ['How can a client resume a stream after the connection drops?', 'resuming-streams'],
      ['What is the difference between WebSockets and SSE?', 'websockets-vs-sse'],
      ['Which index do vector databases use for nearest neighbour search?', 'vector-databases'],
      ['What are the team modes?', 'teams-and-modes'],
      ['Is the demo model a real LLM?', 'demo-model'],
      ['How fast are electric vehicle sales growing?', 'electric-vehicles'],
      ['How do I make my website usable by blind people?', 'web-accessibility'],
      ['What is RAG?', 'retrieval-augmented-generation'],
    ];
    for (const [question, id] of cases) {
      const { results } = await search({ query: question });
      assert.equal(results[0]?.id, id, question);
    }
  });

  it('returns the title, a snippet around the match and a descending score', async () => {
    const { query, results } = await search({ query: 'Last-Event-ID header', limit: 5 });
    assert.equal(query, 'Last-Event-ID header');
    assert.equal(results[0].title, 'Resuming a dropped stream in agentstream');
    assert.match(results[0].snippet, /Last-Event-ID/);
    assert.ok(results[0].snippet.length <= 260, `${results[0].snippet.length} characters`);
    assert.doesNotMatch(results[0].snippet, /\n|\*\*/);
    for (let index = 1; index < results.length; index += 1) assert.ok(results[index - 1].score >= results[index].score);
    assert.ok(results.every((result) => result.score > 0));
  });

  it('stays on the asked topic: the research plan for "AI trends 2024" finds AI articles, not renewable energy or sales', async () => {
    for (const query of ['AI trends 2024 overview', 'AI trends 2024 recent developments', 'AI trends 2024 key challenges']) {
      const { results } = await search({ query });
      assert.ok(results.length > 0, query);
      for (const result of results) assert.doesNotMatch(result.title, /renewable|sales/i, `${query} -> ${result.title}`);
    }
  });

  it('honours the limit', async () => {
    assert.equal((await search({ query: 'energy agents streaming security cloud', limit: 1 })).results.length, 1);
    assert.equal((await search({ query: 'energy agents streaming security cloud' })).results.length, 3);
    assert.equal((await search({ query: 'energy agents streaming security cloud', limit: 10 })).results.length, 10);
  });

  it('returns no results for nonsense or stop words only', async () => {
    assert.deepEqual(await search({ query: 'xyzzy plugh qwfp' }), { query: 'xyzzy plugh qwfp', results: [] });
    assert.deepEqual((await search({ query: 'what is the' })).results, []);
    assert.deepEqual((await search({ query: '?!*' })).results, []);
  });

  it('treats FTS5 syntax in the query as plain words', async () => {
    for (const query of ['NEAR(solar wind)', '"unbalanced quote', 'title:quantum', 'solar* AND -wind', '^qubits OR (']) {
      await assert.doesNotReject(search({ query }), query);
    }
    assert.equal((await search({ query: 'title:quantum' })).results[0]?.id, 'quantum-computing');
  });

  it('rejects a malformed input in the schema', () => {
    for (const input of [{}, { query: '' }, { query: '   ' }, { query: 'x'.repeat(501) }, { query: 'sse', limit: 0 }, { query: 'sse', limit: 11 }]) {
      assert.throws(() => tool.parse(input), { name: 'ZodError' }, JSON.stringify(input).slice(0, 40));
    }
    assert.deepEqual(tool.parse({ query: ' sse ' }), { query: 'sse', limit: 3 });
  });
});
