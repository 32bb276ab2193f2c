import { readFileSync } from 'node:fs';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { RunEvent } from '../../../events/run-event.ts';

/** Recorded runs (trimmed to a few deltas each), see README.md here. */
export type FixtureName = 'agent-tool-call' | 'agent-tool-failure' | 'team-coordinate' | 'team-round-robin' | 'team-pipeline' | 'run-cancelled' | 'run-failed';

/** The events of a recorded run, in seq order. */
export function loadFixture(name: FixtureName): RunEvent[] {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as RunEvent[];
}

/** The exact frames a dialect must write for a fixture (golden file). */
export function loadGolden(name: string): string {
  return readFileSync(new URL(`./golden/${name}.sse`, import.meta.url), 'utf8');
}

/** Runs a whole fixture through a renderer and returns the bytes it writes. */
export function renderAll(renderer: { render(event: RunEvent): string }, events: readonly RunEvent[]): string {
  return events.map((event) => renderer.render(event)).join('');
}

/** The frames of SSE text, parsed by the same parser our client uses. */
export function parseFrames(text: string): EventSourceMessage[] {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  parser.feed(text);
  return frames;
}

/** Renders a fixture and parses each frame's JSON data. */
export function renderJson<T>(renderer: { render(event: RunEvent): string }, events: readonly RunEvent[]): T[] {
  return parseFrames(renderAll(renderer, events)).map((frame) => JSON.parse(frame.data) as T);
}
