import type { RequestRecipe } from '../load/stream-request.ts';
import type { RunningServer } from './spawn-server.ts';
import { NATIVE_BASELINES, WIRE_FORMATS } from './wire-formats.ts';

/** One wire format's bytes for one run (the response body, as a client receives it before any compression). */
export type FormatBytes = { name: string; label: string; baseline: string; bytesPerRun: number; frames: number; textDeltas: number; bytesPerTextDelta: number; note?: string };

/** What the native stream of the bench run weighs, and what leaner native frames (not shipped) would weigh. */
export type NativeBytes = {
  bytesPerRun: number;
  textDeltas: number;
  /** Median size of one `message.delta` frame, and of its `delta` text alone. */
  deltaFrameBytes: number;
  deltaTextBytes: number;
  /** Estimates computed from the same events: see `leanFrame`. */
  lean: { name: string; description: string; bytesPerRun: number; deltaFrameBytes: number }[];
};

export type BytesReport = { formats: FormatBytes[]; native: NativeBytes };

type Frame = { id?: string; event?: string; data?: string };
type NativeEvent = Record<string, unknown> & { type: string; seq: number; agent: { id: string; path: string[] } };

/**
 * Streams one run of each of agentstream's wire formats (and the native baselines) on a warm server and weighs
 * the bodies. Text deltas are counted in the native run of the same baseline (its `message.delta` frames), so
 * "per text delta" divides every format's run by the same number.
 */
export async function measureBytes(server: RunningServer): Promise<BytesReport> {
  const base = `http://${server.host}:${server.port}`;
  let runNumber = 0;
  const fetchRun = async (recipe: RequestRecipe) => {
    runNumber += 1;
    const body = recipe.body.replaceAll('{{n}}', `bytes-${process.pid}-${runNumber}`);
    const response = await fetch(`${base}${recipe.path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    return text;
  };
  const nativeRuns = new Map<string, { text: string; frames: Frame[] }>();
  for (const [name, recipe] of Object.entries(NATIVE_BASELINES)) {
    await fetchRun(recipe); // warm
    const text = await fetchRun(recipe);
    nativeRuns.set(name, { text, frames: parseFrames(text) });
  }
  const textDeltasOf = (baseline: string) => nativeRuns.get(baseline)!.frames.filter((frame) => frame.event === 'message.delta').length;
  const formats: FormatBytes[] = [];
  const add = (name: string, label: string, baseline: string, text: string, frames: number, note?: string) => {
    const bytes = Buffer.byteLength(text);
    const textDeltas = textDeltasOf(baseline);
    formats.push({ name, label, baseline, bytesPerRun: bytes, frames, textDeltas, bytesPerTextDelta: bytes / Math.max(textDeltas, 1), note });
  };
  for (const [name, run] of nativeRuns) add(`native-${name}`, `native (\`${name}\`)`, name, run.text, run.frames.length);
  for (const format of WIRE_FORMATS) {
    try {
      await fetchRun(format.recipe);
      const text = await fetchRun(format.recipe);
      add(format.name, format.label, format.baseline, text, parseFrames(text).length);
    } catch (error) {
      formats.push({ name: format.name, label: format.label, baseline: format.baseline, bytesPerRun: Number.NaN, frames: 0, textDeltas: 0, bytesPerTextDelta: Number.NaN, note: String(error instanceof Error ? error.message : error).slice(0, 200) });
    }
  }
  return { formats, native: weighNative(nativeRuns.get('assistant')!) };
}

/** The bench run's native stream as sent, and as the two leaner encodings of `leanFrame` would send it. */
function weighNative(run: { text: string; frames: Frame[] }): NativeBytes {
  const events = run.frames.flatMap((frame) => (frame.data ? [JSON.parse(frame.data) as NativeEvent] : []));
  const deltaFrames = run.frames.filter((frame) => frame.event === 'message.delta');
  const frameBytes = (frame: Frame) => Buffer.byteLength(`id: ${frame.id}\nevent: ${frame.event}\ndata: ${frame.data}\n\n`);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const lean = LEAN_VARIANTS.map((variant) => {
    const keys = new Map<string, string>();
    const frames = events.map((event) => ({ type: event.type, bytes: Buffer.byteLength(leanFrame(event, keys, variant.name)) }));
    return { ...variant, bytesPerRun: frames.reduce((sum, frame) => sum + frame.bytes, 0), deltaFrameBytes: median(frames.filter((frame) => frame.type === 'message.delta').map((frame) => frame.bytes)) };
  });
  return {
    bytesPerRun: Buffer.byteLength(run.text),
    textDeltas: deltaFrames.length,
    deltaFrameBytes: median(deltaFrames.map(frameBytes)),
    deltaTextBytes: median(events.filter((event) => event.type === 'message.delta').map((event) => Buffer.byteLength(String(event.delta)))),
    lean,
  };
}

const LEAN_VARIANTS = [
  {
    name: 'agent-key',
    description: 'the agent ref in full on `agent.started` (with a short `agentKey`), then only that key; `type` and `seq` only in the SSE `event:` and `id:` lines',
  },
  {
    name: 'agent-key-run-scoped',
    description: 'as above, and a text delta also drops `runId` (the stream is one run: its `x-run-id` header and `run.started` say it) and `ts` (the `message.completed` that ends the text has one)',
  },
] as const;

/**
 * A native frame as a leaner encoding would write it (an estimate for the report, not a shipped format). Every
 * frame still says its run (field or stream), seq (`id:`), type (`event:`) and agent (in full or by key).
 */
function leanFrame(event: NativeEvent, agentKeys: Map<string, string>, variant: (typeof LEAN_VARIANTS)[number]['name']): string {
  const { type, seq, agent, ...rest } = event;
  const pathKey = [agent.id, ...agent.path].join('/');
  let agentField: unknown = agentKeys.get(pathKey);
  if (agentField === undefined || type === 'agent.started') {
    agentKeys.set(pathKey, (agentField = agentKeys.get(pathKey) ?? `a${agentKeys.size + 1}`));
    agentField = { ...agent, key: agentField };
  }
  const body: Record<string, unknown> = { ...rest, agent: agentField };
  if (variant === 'agent-key-run-scoped' && (type === 'message.delta' || type === 'reasoning.delta')) {
    delete body.runId;
    delete body.ts;
  }
  return `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(body)}\n\n`;
}

function parseFrames(text: string): Frame[] {
  return text.split('\n\n').flatMap((block) => {
    const frame: Frame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) frame.id = line.slice(4);
      else if (line.startsWith('event: ')) frame.event = line.slice(7);
      else if (line.startsWith('data: ')) frame.data = frame.data === undefined ? line.slice(6) : `${frame.data}\n${line.slice(6)}`;
    }
    return frame.data === undefined || frame.data === '[DONE]' ? [] : [frame];
  });
}
