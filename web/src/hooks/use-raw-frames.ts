import { useEffect, useState } from 'react';
import type { RawFormat } from '../../../client/api-types.ts';
import { client } from '../api.ts';
import { splitSseFrames } from '../components/split-sse-frames.ts';

/** The raw stream of a run in one format, as received: whole frames, a partial one, bytes, whether it ended. */
export type RawFrames = { frames: string[]; partial: string; bytes: number; state: 'loading' | 'streaming' | 'ended' | 'failed'; error?: string; isTruncated: boolean };

/** Frames kept per inspected stream; past this the inspector says so (every buffer has a bound). */
export const MAX_RAW_FRAMES = 5000;

const EMPTY: RawFrames = { frames: [], partial: '', bytes: 0, state: 'loading', isTruncated: false };

/**
 * Reads `GET /v1/runs/{runId}/events?format=` byte for byte while `isEnabled`: the stored run first, then live
 * until its end. Decoding is UTF-8 with `stream: true`, so a character split across chunks is never mangled.
 */
export function useRawFrames(runId: string, format: RawFormat, isEnabled: boolean): RawFrames {
  const [raw, setRaw] = useState<RawFrames>(EMPTY);
  useEffect(() => {
    if (!isEnabled) return;
    const controller = new AbortController();
    setRaw(EMPTY);
    void (async () => {
      let frames: string[] = [];
      let rest = '';
      let bytes = 0;
      let isTruncated = false;
      try {
        const response = await client.runs.raw(runId, { format, signal: controller.signal });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        setRaw({ frames, partial: '', bytes, state: 'streaming', isTruncated });
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.byteLength;
          const split = splitSseFrames(rest + decoder.decode(value, { stream: true }));
          rest = split.rest;
          const room = MAX_RAW_FRAMES - frames.length;
          if (split.frames.length > room) isTruncated = true;
          if (room > 0 && split.frames.length > 0) frames = [...frames, ...split.frames.slice(0, room)];
          setRaw({ frames, partial: rest, bytes, state: 'streaming', isTruncated });
        }
        rest += decoder.decode();
        setRaw({ frames, partial: rest, bytes, state: 'ended', isTruncated });
      } catch (caught) {
        if (controller.signal.aborted) return;
        setRaw({ frames, partial: rest, bytes, state: 'failed', error: (caught as Error).message, isTruncated });
      }
    })();
    return () => controller.abort();
  }, [runId, format, isEnabled]);
  return raw;
}
