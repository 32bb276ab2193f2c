/** The roles the demo model leans its answers towards, read from the system instructions. */
export type RoleName = 'assistant' | 'coordinator' | 'designer' | 'copywriter' | 'analyst' | 'writer' | 'planner' | 'researcher' | 'engineer';

/**
 * How one role words an answer. Templates use `{topic}` (as written), `{Topic}` (first letter up) and `{Title}` (title case).
 * `opening` + `body` + `closing` is the answer without tools; `withResults` opens an answer built
 * on tool results; `extras` pad an answer that came out too short.
 */
export type Voice = { opening: string; body: string; withResults: string; closing: string; extras: readonly string[] };

const GENERIC_EXTRAS = [
  'Each statement above comes from the request or from a tool result, not from memory.',
  'If a part looks off, say which one and I will look at it again.',
  'I kept this short so the main point stays visible.',
];

const VOICES: Record<RoleName, Voice> = {
  assistant: {
    opening: 'Here is a short answer on {topic}.',
    body: 'The useful first move is to separate what is already known from what still needs checking, and to act on the known part first. '
      + 'Then pick one concrete question about {topic} and answer it with real data or a tool, rather than from memory. '
      + 'Keep the scope small at the start: a narrow, finished answer is worth more than a broad, vague one.',
    withResults: 'Here is the answer on {topic}, based on the tool results.',
    closing: 'Ask a follow-up if you want more detail on any part.',
    extras: GENERIC_EXTRAS,
  },
  coordinator: {
    opening: 'Summary for {topic}.',
    body: 'The request is small enough to answer directly, so no member needed to be involved. '
      + 'The main point is to be clear about the goal, the constraints and what a good result looks like for {topic}.',
    withResults: 'Team summary for {topic}:',
    closing: 'Together these parts answer the request; the next step is to combine them into one deliverable.',
    extras: GENERIC_EXTRAS,
  },
  designer: {
    opening: 'Design direction for {topic}:',
    body: '- **Layout:** one focused hero section with a single, obvious call to action above the fold.\n'
      + '- **Type:** a bold display face for headings and a calm sans-serif for body text, on a clear size scale.\n'
      + '- **Colour:** a neutral base with one accent colour reserved for actions and highlights.\n'
      + '- **Hierarchy:** generous white space, so the eye moves from headline to proof to action.',
    withResults: 'Design notes for {topic}, using what the tools returned:',
    closing: 'I would test this at mobile width first, since most visitors arrive there.',
    extras: ['Keep contrast at 4.5:1 or better for body text so the page stays readable.', 'Reuse one spacing scale so every section feels part of the same system.', ...GENERIC_EXTRAS],
  },
  copywriter: {
    opening: 'Copy for {topic}:',
    body: '**Headline:** {Title}, Without the Guesswork\n'
      + '**Subheadline:** Everything you need in one place, clear from the first line to the last click.\n'
      + '**Call to action:** Get started free\n'
      + '**Alternative headline:** {Title} That Simply Works',
    withResults: 'Copy for {topic}, built on the facts the tools returned:',
    closing: 'Both headlines are short enough to read at a glance; A/B test them before settling on one.',
    extras: ['Keep the voice confident and plain: short words, active verbs, no jargon.', 'Lead with the strongest benefit; features can follow further down the page.', ...GENERIC_EXTRAS],
  },
  analyst: {
    opening: 'Analysis of {topic}:',
    body: 'No figures were provided, so this is a framework rather than a finding.\n\n'
      + '1. Establish the baseline: the current level and how it moved over recent periods.\n'
      + '2. Break it down by the main dimensions, such as region, product and channel, to see where change comes from.\n'
      + '3. Compare against a target or the previous period, and flag anything that moved more than expected.',
    withResults: 'Analysis of {topic}, from the data:',
    closing: 'Before acting on this, check that the pattern holds over a longer period.',
    extras: ['Figures are quoted as the tools returned them, rounded for readability.', 'Treat small differences with caution until more periods of data are in.', ...GENERIC_EXTRAS],
  },
  writer: {
    opening: 'Draft on {topic}:',
    body: '{Topic} is easy to describe and harder to get right. '
      + 'The basics are well understood: start with a clear goal, learn from what already works and measure the result honestly. '
      + 'The hard part is staying consistent when early results are mixed. '
      + 'People who succeed with {topic} treat it as a habit rather than a one-off project.',
    withResults: 'Draft on {topic}, drawing on the material gathered:',
    closing: 'I can adjust the tone, cut this to a summary or extend it into a full article.',
    extras: ['The structure is deliberate: claim first, evidence second, takeaway last.', ...GENERIC_EXTRAS],
  },
  planner: {
    opening: 'Plan for {topic}:',
    body: '1. **Clarify the goal** and agree on what done looks like.\n'
      + '2. **Gather inputs**: the facts, constraints and people involved.\n'
      + '3. **Split the work** into independent pieces that can run in parallel.\n'
      + '4. **Review and combine** the pieces into one result, then check it against the goal.',
    withResults: 'Plan for {topic}, informed by the tool results:',
    closing: 'Each step has one owner and one clear output, so progress is easy to track.',
    extras: ['Steps two and three can overlap once the goal is agreed.', ...GENERIC_EXTRAS],
  },
  researcher: {
    opening: 'Research notes on {topic}:',
    body: '- **Scope:** what {topic} covers and where its boundaries lie.\n'
      + '- **Current state:** the main approaches in use today and how they compare.\n'
      + '- **Open questions:** what is still debated or unproven.\n\n'
      + 'No sources were searched for this answer, so treat these notes as a starting outline.',
    withResults: 'Research notes on {topic}, from the sources found:',
    closing: 'The next step is to check each point against a primary source.',
    extras: ['Where sources disagree, the more recent and more specific one should win.', ...GENERIC_EXTRAS],
  },
  engineer: {
    opening: 'Implementation notes for {topic}:',
    body: '- Start with the smallest working version and put it under a test.\n'
      + '- Keep components small, with data passed in rather than fetched inside.\n'
      + '- Measure performance on a real device before optimising.\n'
      + '- Ship behind a flag so the change can be rolled back in one step.',
    withResults: 'Implementation notes for {topic}, using the tool results:',
    closing: 'I can turn this into a concrete component or code outline next.',
    extras: ['Accessibility and loading states belong in the first version, not a later pass.', ...GENERIC_EXTRAS],
  },
};

const ROLE_PATTERNS: ReadonlyArray<[RoleName, RegExp]> = [
  ['designer', /\b(?:designer|ui\/ux|ux|visual design)\b/i],
  ['copywriter', /\b(?:copywriter|copywriting|copy writer)\b/i],
  ['analyst', /\b(?:analyst|data analysis|analytics)\b/i],
  ['writer', /\b(?:writer|author|journalist|editor|blogger)\b/i],
  ['planner', /\b(?:planner|planning)\b/i],
  ['researcher', /\b(?:researcher|research assistant)\b/i],
  ['engineer', /\b(?:engineer|developer|programmer|frontend|front-end|backend)\b/i],
];
const COORDINATOR = /\b(?:orchestrator|coordinator|coordinate|team lead|synthesi[sz]e)\b/i;

/**
 * The role the system instructions give the model: `coordinator` when they mention orchestrating
 * or synthesising, else the role word that appears first, else `assistant`.
 */
export function detectRole(instructions: string): RoleName {
  if (COORDINATOR.test(instructions)) return 'coordinator';
  let found: RoleName = 'assistant';
  let foundAt = Infinity;
  for (const [role, pattern] of ROLE_PATTERNS) {
    const index = instructions.search(pattern);
    if (index >= 0 && index < foundAt) [found, foundAt] = [role, index];
  }
  return found;
}

/** The voice of `role`, with its placeholders filled in. */
export function voiceFor(role: RoleName, topic: string): Voice {
  const voice = VOICES[role];
  const fill = (template: string) => template.replaceAll('{topic}', topic).replaceAll('{Topic}', topic.charAt(0).toUpperCase() + topic.slice(1)).replaceAll('{Title}', titleCase(topic));
  return {
    opening: fill(voice.opening),
    body: fill(voice.body),
    withResults: fill(voice.withResults),
    closing: fill(voice.closing),
    extras: voice.extras.map(fill),
  };
}

function titleCase(text: string): string {
  const small = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'for', 'in', 'on', 'to', 'with']);
  return text.split(' ').slice(0, 6).map((word, index) => (index > 0 && small.has(word.toLowerCase()) ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1))).join(' ');
}
