import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBuiltinTools } from './builtin-tools.ts';

describe('createBuiltinTools', () => {
  it('returns the built-in tools in order, each described for a model', () => {
    const tools = createBuiltinTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['calculator', 'clock', 'sales_data', 'knowledge_search', 'ask_user']);
    for (const tool of tools) {
      assert.equal(tool.source, 'builtin');
      assert.ok(tool.description.length > 90, tool.name);
      assert.equal(tool.parameters.type, 'object', tool.name);
      assert.equal(tool.parameters.$schema, undefined, tool.name);
    }
  });

  it('only requires what a model must send', () => {
    const required = Object.fromEntries(createBuiltinTools().map((tool) => [tool.name, tool.parameters.required ?? []]));
    assert.deepEqual(required, { calculator: ['expression'], clock: [], sales_data: [], knowledge_search: ['query'], ask_user: ['question'] });
  });
});
