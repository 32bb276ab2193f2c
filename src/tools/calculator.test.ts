import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculatorTool, MAX_EXPRESSION_LENGTH } from './calculator.ts';

const context = { signal: new AbortController().signal, runId: 'run-1', agent: { id: 'a', name: 'A', role: 'agent' as const, path: [] } };
const calculate = (expression: string) => calculatorTool.execute(calculatorTool.parse({ expression }), context);
const refused = (message: RegExp) => ({ name: 'AppError', code: 'bad_request', message });

describe('calculatorTool', () => {
  it('evaluates arithmetic with operator precedence', async () => {
    assert.deepEqual(await calculate('2+2*3'), { expression: '2+2*3', result: 8 });
  });

  it('evaluates functions and constants', async () => {
    assert.deepEqual(await calculate('sqrt(16) + sin(pi/2)'), { expression: 'sqrt(16) + sin(pi/2)', result: 5 });
    assert.deepEqual(await calculate('round(2/3, 3)'), { expression: 'round(2/3, 3)', result: 0.667 });
    assert.deepEqual(await calculate('(1250 - 1000) / 1000 * 100'), { expression: '(1250 - 1000) / 1000 * 100', result: 25 });
    assert.deepEqual(await calculate('mean([2, 4, 9])'), { expression: 'mean([2, 4, 9])', result: 5 });
  });

  it('hides binary rounding noise but keeps large integers exact', async () => {
    assert.equal((await calculate('0.1 + 0.2') as { result: number }).result, 0.3);
    assert.equal((await calculate('2^53') as { result: number }).result, 9007199254740992);
  });

  it('trims the expression and keeps variables local to one call', async () => {
    assert.deepEqual(await calculate('  a = 4; a^2  '), { expression: 'a = 4; a^2', result: 16 });
    await assert.rejects(calculate('a + 1'), refused(/Undefined symbol a/));
  });

  it('formats complex, matrix and unit results as text', async () => {
    assert.equal((await calculate('sqrt(-4)') as { result: string }).result, '2i');
    assert.equal((await calculate('[1, 2; 3, 4] * [1; 2]') as { result: string }).result, '[[5], [11]]');
    assert.equal((await calculate('5 km to m') as { result: string }).result, '5000 m');
  });

  it('rejects garbage with a clear error', async () => {
    await assert.rejects(calculate('foo bar('), refused(/^Cannot evaluate "foo bar\(":/));
  });

  it('rejects non-finite results such as a division by zero', async () => {
    await assert.rejects(calculate('1/0'), refused(/not a finite number \(Infinity\).*division by zero/));
    await assert.rejects(calculate('log(0)'), refused(/not a finite number/));
  });

  it('refuses functions that could change or escape the sandbox', async () => {
    await assert.rejects(calculate('import({x: 1})'), refused(/Function import is disabled/));
    await assert.rejects(calculate('evaluate("1")'), refused(/Function evaluate is disabled/));
    await assert.rejects(calculate('createUnit("foo")'), refused(/Function createUnit is disabled/));
    await assert.rejects(calculate('parse("1")'), refused(/Function parse is disabled/));
    await assert.rejects(calculate('simplify("x + x")'), refused(/Function simplify is disabled/));
    await assert.rejects(calculate('config({number: "BigNumber"})'), refused(/Function config is disabled/));
    await assert.rejects(calculate('cos.constructor'), refused(/No access to property "constructor"/));
  });

  it('refuses matrix builders that could exhaust memory, even through an alias', async () => {
    await assert.rejects(calculate('ones(100000, 100000)'), refused(/Function ones is disabled/));
    await assert.rejects(calculate('f = zeros; f(3)'), refused(/Function zeros is disabled/));
    await assert.rejects(calculate('1:1000000000'), refused(/Ranges/));
  });

  it('still computes normally after a refused call', async () => {
    await assert.rejects(calculate('config({number: "BigNumber"})'));
    assert.deepEqual(await calculate('1/3 * 3'), { expression: '1/3 * 3', result: 1 });
  });

  it('validates the input shape and length in the schema', () => {
    assert.throws(() => calculatorTool.parse({}), { name: 'ZodError' });
    assert.throws(() => calculatorTool.parse({ expression: '   ' }), { name: 'ZodError' });
    assert.throws(() => calculatorTool.parse({ expression: 42 }), { name: 'ZodError' });
    assert.throws(() => calculatorTool.parse({ expression: '1+'.repeat(MAX_EXPRESSION_LENGTH) + '1' }), { name: 'ZodError' });
    assert.deepEqual(calculatorTool.parse({ expression: '1+1' }), { expression: '1+1' });
  });
});
