import type { JSONValue } from '@ai-sdk/provider';

/**
 * The demo model's structured output: a value for `schema` built from its plain answer. Every property is
 * filled (not only the required ones), strings with the answer (a property named like a title or summary gets
 * its first sentence), numbers with the first number in the answer, enums with their first value. Real
 * models are asked through the same `responseFormat`; this only lets the demo answer in kind.
 */
export function fillSchema(schema: unknown, answer: string): JSONValue {
  return fill(schema, answer, '', 0);
}

function fill(schema: unknown, answer: string, key: string, depth: number): JSONValue {
  if (!isRecord(schema) || depth > 8) return answer;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as JSONValue;
  if ('const' in schema) return schema.const as JSONValue;
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (Array.isArray(variants) && variants.length > 0) return fill(variants[0], answer, key, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== 'null') : schema.type;
  switch (type ?? (isRecord(schema.properties) ? 'object' : 'string')) {
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, fill(property, answer, name, depth + 1)]));
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      return Array.from({ length: count }, () => fill(schema.items, answer, key, depth + 1));
    }
    case 'integer':
    case 'number': {
      const found = /-?\d+(?:\.\d+)?/.exec(answer.replaceAll(',', ''));
      let value = found ? Number(found[0]) : typeof schema.minimum === 'number' ? schema.minimum : 0;
      if (type === 'integer') value = Math.round(value);
      if (typeof schema.minimum === 'number') value = Math.max(schema.minimum, value);
      if (typeof schema.maximum === 'number') value = Math.min(schema.maximum, value);
      return value;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const text = /title|name|summary|headline|short/i.test(key) ? (answer.split(/(?<=[.!?])\s/)[0] ?? answer) : answer;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
      return max === undefined ? text : text.slice(0, max);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
