import type { Bus } from '../bus/bus.ts';
import { AppError } from '../errors/app-error.ts';
import type { RunEvent } from '../events/run-event.ts';
import type { RunRecord, Store } from '../store/store.ts';
import type { StopSignal } from './follow-run.ts';
import type { RunManager } from './run-manager.ts';
import { sessionChannel } from './session-channel.ts';

/**
 * Where a session stream is: the event `seq` of the run at `sessionSeq` (the run's place in its session). As an SSE id
 * it is `<sessionSeq>:<seq>`, e.g. `3:17`: a client sends it back as `Last-Event-ID` and the stream goes on after that
 * event, across run boundaries, without the server reading the session's earlier runs.
 */
export type SessionCursor = { sessionSeq: number; seq: number };

export function formatSessionEventId(sessionSeq: number, seq: number): string {
  return `${sessionSeq}:${seq}`;
}

/** The cursor in `Last-Event-ID` (or `?after=`); undefined for none; 400 `invalid_last_event_id` for anything but `<n>:<n>`. */
export function parseSessionCursor(header: string | string[] | undefined, query: unknown): SessionCursor | undefined {
  const raw = typeof header === 'string' && header !== '' ? header : typeof query === 'string' && query !== '' ? query : undefined;
  if (raw === undefined) return undefined;
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(raw.trim());
  if (!match || Number(match[1]) < 1) {
    throw new AppError('invalid_last_event_id', { message: `A session stream's Last-Event-ID (or ?after) is '<sessionSeq>:<seq>' as its frames' ids, e.g. '2:14'; got '${raw.slice(0, 40)}'.` });
  }
  return { sessionSeq: Number(match[1]), seq: Number(match[2]) };
}

export type FollowSessionOptions = {
  store: Store;
  bus: Bus;
  runs: Pick<RunManager, 'follow'>;
  sessionId: string;
  tenant: string | undefined;
  /** Go on after this event; from the session's first run when absent. */
  from?: SessionCursor;
  /** Every event of every run of the session, once, in session order then seq order, with its SSE id. */
  onEvent: (event: RunEvent, id: string) => void;
  signal: StopSignal;
  readerBusy?: () => Promise<void> | undefined;
  /** How often (ms) to look at the store for new runs when no announcement came (a lost bus message, another instance's). */
  resyncMs: number;
};

// Runs per store read: a long conversation is paged, never listed whole.
const RUN_PAGE = 50;

const isEnded = (run: RunRecord) => run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled';

/**
 * Follows a whole session: each of its runs in session order with the run's own follower (replay, then live, to its
 * terminal event), then waits for the next run, announced on the session's bus channel by whichever instance admitted
 * it, or found by a look at the store every `resyncMs`. Resolves only when `signal` stops it (the client left, or the
 * server ends the stream). Runs of one session do not overlap (double-texting), so one run at a time loses nothing.
 */
export async function followSession(options: FollowSessionOptions): Promise<void> {
  const { store, bus, signal } = options;
  let nextSessionSeq = options.from?.sessionSeq ?? 1;
  let afterSeq = options.from?.seq ?? 0;
  let announced = false;
  let wake: (() => void) | undefined;
  const channel = sessionChannel(options.sessionId, options.tenant);
  const unsubscribe = bus.subscribe(channel, () => {
    announced = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Subscribed before the first look at the store: a run announced in between is seen one way or the other.
    await bus.whenSubscribed(channel);
    while (!signal.aborted) {
      announced = false;
      const page = await store.listSessionRuns(options.sessionId, options.tenant, { fromSessionSeq: nextSessionSeq, limit: RUN_PAGE });
      for (const run of page) {
        if (signal.aborted) return;
        const sessionSeq = run.sessionSeq ?? nextSessionSeq;
        const after = sessionSeq === nextSessionSeq ? afterSeq : 0;
        if (!(isEnded(run) && after >= run.lastSeq)) {
          const how = await options.runs.follow(run.id, after, (event) => options.onEvent(event, formatSessionEventId(sessionSeq, event.seq)), signal, { readerBusy: options.readerBusy, run });
          if (how === 'aborted') return;
        }
        nextSessionSeq = sessionSeq + 1;
        afterSeq = 0;
      }
      if (page.length === RUN_PAGE || announced) continue;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, options.resyncMs);
      });
      wake = undefined;
      clearTimeout(timer);
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
