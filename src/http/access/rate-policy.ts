import { ConfigError } from '../../config/load-config-file.ts';

/** A request quota: `points` requests per `windowSeconds`. Written `120/min`, `10/s`, `1000/hour`, `5000/day` or `30/45s`. */
export type RatePolicy = { points: number; windowSeconds: number };

const UNITS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };

/** Parses `120/min` (or `30/45s`, `1000/hour`); `name` is the setting, for the error. */
export function parseRatePolicy(text: string, name: string): RatePolicy {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{0,6})\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? UNITS[match[3].toLowerCase()] : undefined;
  const points = match ? Number(match[1]) : 0;
  const count = match && match[2] !== '' ? Number(match[2]) : 1;
  if (!match || !unit || points < 1 || count < 1) {
    throw new ConfigError(`${name} must look like '120/min' (requests per s, min, hour or day, e.g. '10/s', '30/45s'), got '${text}'.`);
  }
  return { points, windowSeconds: count * unit };
}

/** The policy's name in the RateLimit headers and in limiter keys: `120-per-60s`. */
export function policyName(policy: RatePolicy): string {
  return `${policy.points}-per-${policy.windowSeconds}s`;
}
