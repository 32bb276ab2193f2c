import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDemoProvider } from '../models/demo/demo-provider.ts';
import { createModelRegistry } from '../models/model-registry.ts';
import { createBuiltinTools } from '../tools/builtin-tools.ts';
import { buildCatalog } from './build-catalog.ts';
import { jsonLineIndex } from './json-locations.ts';
import { ConfigError, loadConfigFile } from './load-config-file.ts';

const models = createModelRegistry({ providers: [createDemoProvider({ tokenDelayMs: 0 })] });

function writeConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agentstream-config-')), 'agentstream.config.json');
  writeFileSync(file, text);
  return file;
}

const build = (text: string) => buildCatalog({ file: loadConfigFile(writeConfig(text)), tools: createBuiltinTools(), models });

test('finds the line of every value by its path', () => {
  const lines = jsonLineIndex('{\n  "agents": [\n    { "id": "a",\n      "tools": ["x", "y"] }\n  ]\n}');
  assert.equal(lines.get('agents'), 2);
  assert.equal(lines.get('agents.0.id'), 3);
  assert.equal(lines.get('agents.0.tools.1'), 4);
});

test('adds configured agents and teams to the built-ins', () => {
  const catalog = build(JSON.stringify({
    agents: [{ id: 'poet', description: 'Writes poems', instructions: 'Rhyme.', tools: ['clock'] }],
    teams: [{ id: 'duo', mode: 'route', members: ['poet', 'chat'] }],
  }, null, 2));
  assert.equal(catalog.agents.get('poet')?.name, 'poet');
  assert.deepEqual(catalog.agents.get('poet')?.tools, ['clock']);
  assert.ok(catalog.agents.has('assistant'));
  assert.equal(catalog.teams.get('duo')?.mode, 'route');
  assert.ok(catalog.teams.has('research'));
});

test('refuses an unknown tool, naming the file and line', () => {
  const text = '{\n  "agents": [\n    {\n      "id": "poet",\n      "tools": ["clock",\n        "teleport"]\n    }\n  ]\n}';
  assert.throws(() => build(text), (error: Error) => error instanceof ConfigError && /agentstream\.config\.json:6: agent 'poet' names unknown tool 'teleport'/.test(error.message));
});

test('refuses an unknown model, naming the line', () => {
  const text = '{\n  "agents": [\n    { "id": "poet",\n      "model": "openai:gpt-9" }\n  ]\n}';
  assert.throws(() => build(text), (error: Error) => /:4: agent 'poet' names model 'openai:gpt-9', which is not configured/.test(error.message));
});

test('refuses unknown members, bad fields and team cycles', () => {
  assert.throws(() => build('{"teams": [{"id": "t", "mode": "route", "members": ["ghost"]}]}'), /unknown member 'ghost'/);
  assert.throws(() => build('{"agents": [{"id": "a", "colour": "red"}]}'), /:1: agents\.0: Unrecognized key/);
  assert.throws(() => build('{"teams": [{"id": "a", "mode": "route", "members": ["b"]}, {"id": "b", "mode": "route", "members": ["a"]}]}'), /cycle/);
  assert.throws(() => build('{"agents": ['), /not valid JSON/);
});

test('takes a double-texting policy per agent and team, and refuses one that does not exist', () => {
  const catalog = build(JSON.stringify({
    agents: [{ id: 'patient', multitask: 'enqueue' }],
    teams: [{ id: 'eager', mode: 'route', members: ['chat'], multitask: 'interrupt' }],
  }));
  assert.equal(catalog.agents.get('patient')?.multitask, 'enqueue');
  assert.equal(catalog.teams.get('eager')?.multitask, 'interrupt');
  assert.equal(catalog.agents.get('chat')?.multitask, undefined, 'unset: the request decides, else reject');
  assert.throws(() => build('{"agents": [{"id": "a", "multitask": "sometimes"}]}'), /agents\.0\.multitask/);
});
