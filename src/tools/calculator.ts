import type { MathJsInstance, MathNode } from 'mathjs';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { defineTool, type Tool } from './define-tool.ts';

/** The longest expression the calculator accepts, in characters. */
export const MAX_EXPRESSION_LENGTH = 500;

// Replaced on the instance, as https://mathjs.org/docs/expressions/security.html recommends: they
// change the instance or turn a string into a new expression tree. Only the symbolic functions depend
// on them, so overriding them leaves arithmetic, matrices and units intact.
const DISABLED_FUNCTIONS = [
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'parser', 'simplify', 'simplifyConstant',
  'simplifyCore', 'rationalize', 'derivative', 'resolve', 'reviver', 'replacer', 'symbolicEqual', 'leafCount', 'help',
];

// Refused by name in the expression tree instead, because overriding them breaks the functions
// built on them. `config` and `typed` would change the shared instance for every later call; the
// rest build arbitrarily large matrices from a short expression and would stall the event loop.
const REFUSED_SYMBOLS = new Set([
  ...DISABLED_FUNCTIONS, 'config', 'typed', 'range', 'ones', 'zeros', 'identity', 'resize', 'reshape',
  'kron', 'matrixFromFunction', 'matrixFromRows', 'matrixFromColumns', 'random', 'randomInt', 'pickRandom',
]);

type Calculator = { math: MathJsInstance; parse: MathJsInstance['parse']; assertAllowed(tree: MathNode): void };
let calculator: Promise<Calculator> | undefined;

/**
 * Builds the restricted instance once. mathjs takes about a second to load, so it is imported on first
 * use (or by `warmCalculator` after the server listens), not at start-up.
 */
function getCalculator(): Promise<Calculator> {
  calculator ??= buildCalculator();
  return calculator;
}

/**
 * Loads mathjs (about a second of CPU: `create(all)`) so the first calculation does not wait for it. Awaited before
 * the server listens: run after listening, it blocked the event loop just as the first requests arrived.
 */
export async function warmCalculator(): Promise<void> {
  await getCalculator();
}

async function buildCalculator(): Promise<Calculator> {
  const { all, create, isRangeNode, isSymbolNode } = await import('mathjs');
  const math = create(all);
  // Keep the real parser before the override: the override only hides it from expressions.
  const parse = math.parse;
  const disabled = Object.fromEntries(DISABLED_FUNCTIONS.map((name) => [name, () => {
    throw new Error(`Function ${name} is disabled`);
  }]));
  math.import(disabled, { override: true });
  // Throws for a symbol or syntax the calculator refuses; any reference counts, so aliasing (`f = ones`) is caught too.
  const assertAllowed = (tree: MathNode) => tree.traverse((node) => {
    if (isRangeNode(node)) throw new Error('Ranges (a:b) are not supported');
    if (isSymbolNode(node) && REFUSED_SYMBOLS.has(node.name)) throw new Error(`Function ${node.name} is disabled`);
  });
  return { math, parse, assertAllowed };
}

/** Turns what mathjs returned into a JSON result: a plain number when finite and real, else mathjs's own text. */
function toResult(value: unknown, math: MathJsInstance): number | string {
  // `a = 2; a * 3` yields a ResultSet; the answer is its last entry.
  if (value && typeof value === 'object' && 'entries' in value && Array.isArray(value.entries)) {
    return toResult(value.entries.at(-1), math);
  }
  if (value === undefined) throw new AppError('bad_request', { message: 'The expression has no value.' });
  if (typeof value === 'function') {
    throw new AppError('bad_request', { message: 'The expression defines a function but never calls it.' });
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new AppError('bad_request', {
        message: `The result is not a finite number (${value}); check for a division by zero or an overflow.`,
      });
    }
    // 15 significant digits hide binary noise (0.1 + 0.2 = 0.30000000000000004); integers stay exact.
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  }
  return math.format(value, { precision: 14 });
}

/** Safe arithmetic on a restricted mathjs instance, never JavaScript `eval`. Returns `{ expression, result }`. */
export const calculatorTool: Tool = defineTool({
    source: 'builtin',
  name: 'calculator',
  description:
    'Evaluates a math expression and returns the exact numeric result. Use it for any arithmetic instead of ' +
    'calculating in your head: totals, percentages, growth rates, averages, unit conversions. Supports ' +
    '+ - * / ^ and parentheses, functions (sqrt, abs, round, log, log10, exp, sin, cos, tan, min, max, sum, ' +
    'mean, median, std, factorial, gcd), constants (pi, e), matrices ([1, 2; 3, 4]) and units ("5 km to mile"). ' +
    'Example: "(1250 - 1000) / 1000 * 100".',
  inputSchema: z.object({
    expression: z.string().trim().min(1).max(MAX_EXPRESSION_LENGTH)
      .describe('One math expression, e.g. "sqrt(16) + 2^10" or "round(1234.5678, 2)".'),
  }),
  execute: async ({ expression }) => {
    const { math, parse, assertAllowed } = await getCalculator();
    let value: unknown;
    try {
      const tree = parse(expression);
      assertAllowed(tree);
      // A fresh scope per call: variables assigned in one expression never leak into the next.
      value = tree.compile().evaluate(new Map());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('bad_request', { message: `Cannot evaluate "${expression}": ${reason}`, cause: error });
    }
    return { expression, result: toResult(value, math) };
  },
});
