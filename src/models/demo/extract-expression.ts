const FUNCTIONS = 'sqrt|cbrt|asin|acos|atan|sinh|cosh|tanh|sin|cos|tan|log10|log2|log|ln|exp|abs|pow|round|floor|ceil|factorial|mod';
// A run of expression tokens. Function names count only right before "(", so "blog" or "single" never do.
const RUN = new RegExp(`(?:\\b(?:${FUNCTIONS})(?=\\s*\\()|\\bpi\\b|\\d+(?:\\.\\d+)?|\\.\\d+|[-+*/^%(),]|[ \\t]+)+`, 'gi');
const CALL = new RegExp(`\\b(?:${FUNCTIONS})\\s*\\(`, 'i');
const BINARY = /[\d)i]\s*[-+*/^%]\s*[\d(.a-z]/i;
// Dates (2024-10-24, 10/24/2024) and year ranges (2024-2025) look like arithmetic but are not.
const NOT_ARITHMETIC = /^(?:\d{1,4}\s*[-/]\s*\d{1,2}\s*[-/]\s*\d{1,4}|(?:19|20)\d\d\s*-\s*(?:19|20)?\d\d)$/;
const WORD_OPERATORS: ReadonlyArray<[RegExp, string]> = [
  [/\s*\b(?:multiplied by|times|x)\b\s*/gi, ' * '],
  [/\s*\bdivided by\b\s*/gi, ' / '],
  [/\s*\bto the power of\b\s*/gi, ' ^ '],
  [/\s*\bplus\b\s*/gi, ' + '],
  [/\s*\bminus\b\s*/gi, ' - '],
];

/**
 * Finds the arithmetic expression in a request ("What is 12 * (3 + 4)?", "sqrt(16) plus 2",
 * "square root of 81"), as text a calculator can parse, or `undefined` when there is none.
 * A bare number, a date, a year range or a lone negative number is not an expression.
 */
export function extractExpression(text: string): string | undefined {
  let normalized = text
    .replace(/[×✕]/g, '*').replace(/÷/g, '/').replace(/[−–]/g, '-')
    .replace(/\bsquare root of\s+(\d+(?:\.\d+)?)/gi, 'sqrt($1)')
    .replace(/\bln\s*\(/gi, 'log(')
    .replace(/(\d+(?:\.\d+)?)\s*%\s*of\s+(?=[\d(])/gi, '$1 / 100 * ');
  for (let previous = ''; previous !== normalized;) {
    previous = normalized;
    normalized = normalized.replace(/(\d),(\d{3})(?!\d)/g, '$1$2'); // thousands separators
  }
  for (const [pattern, symbol] of WORD_OPERATORS) {
    // Word operators only count between two operands: "times" in "three times a day" stays a word.
    normalized = normalized.replace(new RegExp(`(?<=[\\d)])${pattern.source}(?=[\\d(]|(?:${FUNCTIONS})\\s*\\()`, 'gi'), symbol);
  }
  let best: string | undefined;
  for (const match of normalized.matchAll(RUN)) {
    const candidate = tidy(match[0]);
    if (!isExpression(candidate)) continue;
    if (best === undefined || candidate.length > best.length) best = candidate;
  }
  return best;
}

function tidy(run: string): string {
  let expression = run.replace(/\s+/g, ' ').trim();
  expression = expression.replace(/^[+*/^%),\s]+/, '').replace(/[-+*/^%(,\s]+$/, '');
  const open = (expression.match(/\(/g) ?? []).length;
  const close = (expression.match(/\)/g) ?? []).length;
  if (open > close) expression += ')'.repeat(open - close);
  // Unmatched closing brackets come from surrounding prose, e.g. "(about 2+2)".
  for (let extra = close - open; extra > 0 && expression.endsWith(')'); extra--) expression = expression.slice(0, -1).trimEnd();
  return expression;
}

function isExpression(candidate: string): boolean {
  if (!/\d|\bpi\b/i.test(candidate) || NOT_ARITHMETIC.test(candidate)) return false;
  return BINARY.test(candidate) || CALL.test(candidate);
}
