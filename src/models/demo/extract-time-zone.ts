const CITY_ZONES: ReadonlyArray<[RegExp, string]> = [
  [/\bnew york\b|\bnyc\b|\bboston\b|\bmiami\b|\bwashington\b/i, 'America/New_York'],
  [/\bsan francisco\b|\blos angeles\b|\bseattle\b|\bvancouver\b|\bsilicon valley\b/i, 'America/Los_Angeles'],
  [/\bchicago\b/i, 'America/Chicago'],
  [/\bdenver\b/i, 'America/Denver'],
  [/\btoronto\b|\bmontreal\b/i, 'America/Toronto'],
  [/\bmexico city\b/i, 'America/Mexico_City'],
  [/\bs[ãa]o paulo\b|\brio de janeiro\b/i, 'America/Sao_Paulo'],
  [/\blondon\b|\bdublin\b|\blisbon\b/i, 'Europe/London'],
  [/\bparis\b/i, 'Europe/Paris'],
  [/\bberlin\b|\bmunich\b|\bfrankfurt\b/i, 'Europe/Berlin'],
  [/\bmadrid\b|\bbarcelona\b/i, 'Europe/Madrid'],
  [/\brome\b|\bmilan\b/i, 'Europe/Rome'],
  [/\bamsterdam\b/i, 'Europe/Amsterdam'],
  [/\bstockholm\b/i, 'Europe/Stockholm'],
  [/\bmoscow\b/i, 'Europe/Moscow'],
  [/\bistanbul\b/i, 'Europe/Istanbul'],
  [/\bcairo\b/i, 'Africa/Cairo'],
  [/\bjohannesburg\b|\bcape town\b/i, 'Africa/Johannesburg'],
  [/\bdubai\b|\babu dhabi\b/i, 'Asia/Dubai'],
  [/\bmumbai\b|\bdelhi\b|\bbangalore\b|\bbengaluru\b|\bkolkata\b/i, 'Asia/Kolkata'],
  [/\bsingapore\b/i, 'Asia/Singapore'],
  [/\bhong kong\b/i, 'Asia/Hong_Kong'],
  [/\bshanghai\b|\bbeijing\b/i, 'Asia/Shanghai'],
  [/\bseoul\b/i, 'Asia/Seoul'],
  [/\btokyo\b|\bosaka\b/i, 'Asia/Tokyo'],
  [/\bsydney\b|\bmelbourne\b/i, 'Australia/Sydney'],
  [/\bauckland\b/i, 'Pacific/Auckland'],
];

/**
 * The IANA time zone a request names: an explicit zone ("Europe/Paris", "UTC"), else a known
 * city ("in Tokyo" gives Asia/Tokyo), else `UTC`.
 */
export function extractTimeZone(text: string): string {
  for (const match of text.matchAll(/\b[A-Z][A-Za-z]+(?:\/[A-Z][A-Za-z_-]+)+\b/g)) {
    if (isTimeZone(match[0])) return match[0];
  }
  if (/\b(?:UTC|GMT)\b/.test(text)) return 'UTC';
  for (const [pattern, zone] of CITY_ZONES) if (pattern.test(text)) return zone;
  return 'UTC';
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
