// Leading phrases that ask for something rather than name it, tried longest first.
const LEADING_FILLER = [
  'original request', 'user request', 'the request', 'request', 'the task', 'task', 'question',
  'i would like you to', 'i would like', "i'd like you to", "i'd like", 'i want you to', 'i want',
  'i need you to', 'i need', 'can you', 'could you', 'would you', 'will you', 'please', 'kindly',
  'help me', 'give me', 'show me', 'tell me about', 'tell me', 'let me know', 'find out', 'find me',
  'find', 'search for', 'search', 'look up', 'look into', 'research', 'explain', 'describe',
  'summarise', 'summarize', 'write up', 'write', 'draft', 'create', 'make', 'design', 'build',
  'prepare', 'produce', 'generate', 'plan', 'compose', 'give', 'what is', "what's", 'what are',
  'who is', 'who are', 'how does', 'how do', 'a', 'an', 'the', 'some', 'me', 'us', 'for', 'about',
  'on', 'of', 'short', 'quick', 'brief', 'detailed', 'report', 'article', 'blog post', 'post',
  'summary', 'overview', 'essay', 'note', 'notes',
];
const TRAILING_FILLER = ['please', 'for me', 'for us', 'thanks', 'thank you', 'now', 'today'];

/**
 * What a request is about: the text with request phrasing ("Can you research…", "write a report
 * about…") stripped from both ends, at most `maxWords` words. Falls back to the trimmed text.
 */
export function extractTopic(text: string, maxWords = 10): string {
  // The first sentence of the first line carries the request; the rest is detail.
  const firstLine = (text.trim().split(/\n/)[0] ?? '').split(/(?<=[.?!])\s+/)[0] ?? '';
  // A delegated sub-task reads "<what to do> for: <the original request>"; the request names the topic.
  const delegated = /\sfor:\s+(.+)$/.exec(firstLine);
  if (delegated) return extractTopic(delegated[1], maxWords);
  let topic = firstLine.replace(/[\s?!.:;,]+$/, '').trim();
  topic = stripRepeatedly(topic, LEADING_FILLER, (rest, phrase) => startsWithPhrase(rest, phrase) ? rest.slice(phrase.length) : undefined);
  topic = stripRepeatedly(topic, TRAILING_FILLER, (rest, phrase) => endsWithPhrase(rest, phrase) ? rest.slice(0, -phrase.length) : undefined);
  topic = topic.replace(/^[\s,:;-]+|[\s,:;?!.-]+$/g, '');
  if (topic === '') topic = firstLine.replace(/[\s?!.]+$/, '').trim();
  const words = topic.split(/\s+/).filter(Boolean);
  return words.slice(0, maxWords).join(' ');
}

function stripRepeatedly(text: string, phrases: readonly string[], strip: (rest: string, phrase: string) => string | undefined): string {
  let rest = text.trim();
  for (let changed = true; changed && rest !== '';) {
    changed = false;
    for (const phrase of phrases) {
      const stripped = strip(rest, phrase);
      // Never strip the last word: "Plan" alone is still the topic.
      if (stripped === undefined || stripped.trim() === '') continue;
      rest = stripped.replace(/^[\s,:;]+|[\s,:;]+$/g, '');
      changed = true;
      break;
    }
  }
  return rest;
}

function startsWithPhrase(text: string, phrase: string): boolean {
  return text.toLowerCase().startsWith(phrase) && /^(\s|$|[,:;])/.test(text.slice(phrase.length));
}

function endsWithPhrase(text: string, phrase: string): boolean {
  return text.toLowerCase().endsWith(phrase) && /(^|\s|[,:;])$/.test(text.slice(0, -phrase.length));
}
