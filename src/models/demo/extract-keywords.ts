/** Words too common to say anything about a request or a team member's speciality. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'so', 'of', 'to', 'in', 'on', 'at', 'by', 'for',
  'with', 'about', 'from', 'into', 'over', 'under', 'as', 'is', 'are', 'was', 'were', 'be', 'been',
  'being', 'am', 'do', 'does', 'did', 'done', 'have', 'has', 'had', 'i', 'me', 'my', 'we', 'our', 'us',
  'you', 'your', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'their', 'they', 'them', 'he',
  'she', 'his', 'her', 'what', 'which', 'who', 'whom', 'how', 'why', 'when', 'where', 'can', 'could',
  'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'please', 'some', 'any', 'all', 'each',
  'every', 'more', 'most', 'other', 'such', 'no', 'not', 'only', 'own', 'same', 'than', 'too', 'very',
  'just', 'also', 'up', 'out', 'via', 'per', 'etc', 'e.g', 'i.e',
  // Generic request verbs: every member "creates" or "handles" something, so they only add ties.
  'create', 'make', 'generate', 'produce', 'provide', 'handle', 'help', 'need', 'want', 'like', 'give',
  'get', 'use', 'using', 'let', 'new', 'good', 'best', 'thing', 'things', 'task', 'tasks', 'request',
]);

/** One word a text mentions: its stem (for matching) and the first spelling seen (for quoting). */
export type Keyword = { stem: string; word: string };

/**
 * Lowercases, drops stop words and stems what is left. Keywords come back once each, in the order
 * they first appear.
 */
export function extractKeywords(text: string): Keyword[] {
  const seen = new Set<string>();
  const keywords: Keyword[] = [];
  for (const match of text.toLowerCase().matchAll(/[a-z0-9][a-z0-9'-]*/g)) {
    const word = match[0].replace(/'s$/, '').replace(/['-]+$/, '');
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const stem = stemWord(word);
    if (STOP_WORDS.has(stem) || seen.has(stem)) continue;
    seen.add(stem);
    keywords.push({ stem, word });
  }
  return keywords;
}

/**
 * Simple suffix stripping: -ies to -y, then -ing, -ed or a plural -s, then a final -e, so that
 * "writes", "writing" and "write" meet at "writ". Stems stay at least three letters long.
 */
export function stemWord(word: string): string {
  let stem = word.toLowerCase();
  if (stem.endsWith('ies') && stem.length > 4) return `${stem.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed']) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= 3) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  if (stem.endsWith('s') && !stem.endsWith('ss') && stem.length > 3) stem = stem.slice(0, -1);
  if (stem.endsWith('e') && stem.length > 3) stem = stem.slice(0, -1);
  return stem;
}
