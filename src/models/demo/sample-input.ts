import type { JSONObject, JSONValue } from '@ai-sdk/provider';

/**
 * A small input that satisfies a tool's JSON schema: required properties only, the first enum
 * value, the minimum for numbers, one item for arrays that need one, and `text` for free strings.
 * Used when the demo model must call a tool that no intent rule knows how to fill.
 */
export function sampleInput(schema: unknown, text: string): JSONObject {
  const value = sampleValue(schema, text, 0);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JSONObject) : {};
}

function sampleValue(schema: unknown, text: string, depth: number): JSONValue {
  if (!isRecord(schema) || depth > 6) return text;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as JSONValue;
  if ('const' in schema) return schema.const as JSONValue;
  if ('default' in schema) return schema.default as JSONValue;
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0) return sampleValue(variants[0], text, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
      const result: JSONObject = {};
      for (const key of required) result[key] = sampleValue(properties[key], text, depth + 1);
      return result;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      return Array.from({ length: count }, () => sampleValue(schema.items, text, depth + 1));
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
