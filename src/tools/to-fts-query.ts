// Words that carry no topic in a question. Short on purpose: the corpus is small and BM25 already
// discounts words that appear in every article.
const STOP_WORDS = new Set(`a about after all also am an and any are as at be been before being between both but by can
could did do does doing during each else for from had has have having he her here hers him his how i if in into is it
its itself just me more most my no nor not of off on once only or other our out over own please same she should so
some such tell than that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours`.split(/\s+/));

// Words that say which facet of a topic is wanted ("AI trends 2024 overview"), not the topic itself. Matched on
// their own they pull in any article about something else's trends (renewable energy) or forecasts (sales),
// so they are dropped while the query has a topic word left; a query of nothing else keeps them.
const FACET_WORDS = new Set(`trend trends overview overviews recent latest new current developments development key challenges
challenge issues problems future outlook state basics introduction intro summary today now year years update updates
main top best important`.split(/\s+/));

/** The most terms one query may carry, so a long paragraph cannot turn into an expensive match. */
const MAX_TERMS = 24;

/**
 * Turns free text into a safe FTS5 MATCH expression: words only (every FTS5 operator and quote is
 * dropped), stop words removed, facet words and years dropped while a topic word remains, each word quoted, joined with OR so a question matches articles that
 * share any of its words. Returns undefined when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const candidates = [...new Set(words.filter((word) => word.length > 1 && !STOP_WORDS.has(word)))];
  const topical = candidates.filter((word) => !FACET_WORDS.has(word) && !/^(?:19|20)\d\d$/.test(word));
  const terms = (topical.length > 0 ? topical : candidates).slice(0, MAX_TERMS);
  return terms.length > 0 ? terms.map((term) => `"${term}"`).join(' OR ') : undefined;
}
