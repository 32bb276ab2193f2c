/**
 * How the deterministic bench model behaves for one kind of run, the same for every server:
 * `toolStep` first calls the calculator once, then the answer streams `textDeltas` one-word deltas,
 * `delayMs` apart (0: all at once, no timers).
 */
export type ModelProfile = { name: string; toolStep: boolean; textDeltas: number; delayMs: number };

/** The run: 1 tool call + 500 text deltas from a zero-latency model. */
export const BENCH_PROFILE: ModelProfile = { name: 'bench', toolStep: true, textDeltas: 500, delayMs: 0 };

/** Parses `150x20` (deltas x milliseconds) into a tool-less profile; undefined when it does not match. */
export function parsePacedProfile(spec: string): ModelProfile | undefined {
  const match = /^(\d{1,5})x(\d{1,6})$/.exec(spec);
  if (!match) return undefined;
  return { name: spec, toolStep: false, textDeltas: Number(match[1]), delayMs: Number(match[2]) };
}

/** `150x20` for a tool-less profile; the inverse of `parsePacedProfile`. */
export function pacedSpec(textDeltas: number, delayMs: number): string {
  return `${textDeltas}x${delayMs}`;
}
