/**
 * Deterministic garbage for robustness tests: a seeded PRNG (mulberry32) and generators of hostile JSON
 * values, strings and request bodies. The same seed always yields the same sequence, so a failure names
 * the seed and the iteration that reproduce it.
 */

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, below). */
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
};

/** mulberry32: small, fast, and good enough to spread test inputs (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below) => Math.floor(next() * below),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (probability) => next() < probability,
  };
}

/** Strings that have broken parsers, databases, loggers and terminals somewhere before. */
export const NASTY_STRINGS: readonly string[] = [
  '', ' ', '\t\n\r', '\u0000', 'a\u0000b', '\u0001\u0002\u001f\u007f', '\ud800', 'x\udfffy', '\ufeff', '\u202eevil',
  '😀🧪', 'Ω≈ç√∫', '𝕳𝖊𝖑𝖑𝖔', 'ｆｕｌｌ', '\r\n\r\nHTTP/1.1 200 OK', 'data: {"type":"run.completed"}\n\n', 'event: complete\n',
  "'; DROP TABLE runs; --", '" OR 1=1 --', '../../../../etc/passwd', '%00', '%2F%2e%2e', '${jndi:ldap://x}', '{{7*7}}',
  '<script>alert(1)</script>', 'null', 'undefined', 'NaN', '-1', '1e999', 'true', '[]', '{}', '__proto__', 'constructor',
  'run_', 'run_00000000-0000-0000-0000-000000000000', 'demo', 'nowhere:model', 'openai/gpt-4.1', 'probe:broken',
  'assistant', 'chat', 'research', 'web_team',
];

/** A hostile string: from the list, random code units (lone surrogates included), or long. */
export function garbageString(random: Random): string {
  const roll = random.int(10);
  if (roll < 5) return random.pick(NASTY_STRINGS);
  if (roll < 8) {
    const length = random.int(40);
    let text = '';
    for (let index = 0; index < length; index += 1) text += String.fromCharCode(random.int(0x10000));
    return text;
  }
  if (roll < 9) return 'x'.repeat(random.pick([199, 200, 201, 1000, 5000]));
  return 'y'.repeat(random.pick([99_999, 100_000, 100_001]));
}

const NUMBERS: readonly number[] = [0, -0, -1, 1, 0.5, 1e21, -1e21, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 3_600_001, 999_999_999_999];

/** Any JSON value, nested at most `depth` levels. */
export function garbageValue(random: Random, depth = 3): unknown {
  const roll = random.int(depth > 0 ? 9 : 6);
  switch (roll) {
    case 0: return null;
    case 1: return random.chance(0.5);
    case 2: return random.pick(NUMBERS);
    case 3: return random.int(1000) - 500;
    case 4:
    case 5: return garbageString(random);
    case 6:
    case 7: return Array.from({ length: random.int(4) }, () => garbageValue(random, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let index = random.int(4); index > 0; index -= 1) object[random.chance(0.3) ? garbageString(random) : random.pick(['type', 'text', 'role', 'content', 'id', 'x'])] = garbageValue(random, depth - 1);
      return object;
    }
  }
}

/** `[[[...]]]` nested `levels` deep, as JSON text. */
export function deeplyNested(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

/** A JSON value (e.g. a field's value) nested `levels` deep in objects: `{"a":{"a":…1}}`. */
export function deeplyNestedObject(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export type GarbageBody = { text: string; contentType?: string; label: string };

type Path = (string | number)[];

/** Every path to a value inside `value` (object keys and array indexes), the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

function setAt(root: unknown, path: Path, replacement: unknown, remove: boolean): void {
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    parent = parent[key] as Record<string | number, unknown>;
    // An earlier mutation replaced something on this path with a scalar: nothing left to mutate here.
    if (parent === null || typeof parent !== 'object') return;
  }
  const last = path.at(-1)!;
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
}

/**
 * One hostile body derived from a route's valid one: a wrong top-level type, a field set to garbage or
 * removed, extra keys, truncated or corrupted JSON, deep nesting, a wrong content type, or nothing at all.
 */
export function garbageBody(random: Random, valid: unknown): GarbageBody {
  const roll = random.int(20);
  const validText = JSON.stringify(valid);
  if (roll < 2) return { label: 'top-level', text: JSON.stringify(random.pick([[], [valid], 'text', 42, null, true, false, 0, ''])) };
  if (roll < 9) {
    const copy = structuredClone(valid);
    const paths = pathsOf(copy);
    for (let count = 1 + random.int(2); count > 0 && paths.length > 0; count -= 1) {
      const path = random.pick(paths);
      setAt(copy, path, garbageValue(random), random.chance(0.25));
    }
    return { label: 'field', text: JSON.stringify(copy) };
  }
  if (roll < 11) {
    const copy = { ...(valid as Record<string, unknown>) };
    for (let count = 1 + random.int(3); count > 0; count -= 1) {
      const key = random.chance(0.5) ? garbageString(random) : random.pick(['__proto__', 'constructor', 'stream', 'model', 'metadata']);
      // defineProperty: an own `__proto__` key reaches the JSON text instead of changing the prototype.
      Object.defineProperty(copy, key, { value: garbageValue(random), enumerable: true, writable: true, configurable: true });
    }
    return { label: 'extra-keys', text: JSON.stringify(copy) };
  }
  if (roll < 13) return { label: 'truncated', text: validText.slice(0, random.int(validText.length)) };
  if (roll < 14) {
    const chars = [...validText];
    for (let count = 1 + random.int(3); count > 0; count -= 1) chars[random.int(chars.length)] = random.pick(['"', '{', '}', ',', '\\', '\u0000', ':', ']']);
    return { label: 'corrupted', text: chars.join('') };
  }
  if (roll < 15) return { label: 'deep', text: random.chance(0.5) ? deeplyNested(random.pick([200, 5000, 100_000])) : deeplyNestedObject(random.pick([200, 5000, 50_000])) };
  if (roll < 16) {
    // A deeply nested value where the route takes free-form JSON (metadata, state, context…).
    const copy = { ...(valid as Record<string, unknown>) };
    const key = random.pick(['metadata', 'state', 'forwardedProps', 'context', 'team_config', 'x']);
    // At the end, so it wins over the body's own value of that key.
    return { label: 'deep-field', text: JSON.stringify(copy).replace(/\}$/, `,"${key}":${deeplyNestedObject(random.pick([100, 1000, 5000, 20_000]))}}`) };
  }
  if (roll < 18) return { label: 'content-type', text: validText, contentType: random.pick(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/xml', 'application/octet-stream', 'application/json; charset=latin1', 'application/json;;;', 'application/jsonx', '*/*', 'text/plain']) };
  if (roll < 19) return { label: 'empty', text: random.pick(['', ' ', '\n', '\u0000', '\ufeff{}']) };
  return { label: 'bytes', text: garbageString(random) };
}
