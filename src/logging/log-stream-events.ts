import type { RunObserver } from '../bus/observed-bus.ts';
import { childLogger, type Logger } from './logger.ts';

/**
 * The AutoGen document's `stream_events` logger, for every run: one debug line per event with its run id, seq,
 * type and agent (never its payload: prompts and answers stay out of the log). Free unless LOG_LEVEL=debug.
 */
export function logStreamEvents(log: Logger, level: string): RunObserver | undefined {
  if (level.toLowerCase() !== 'debug' && level.toLowerCase() !== 'trace') return undefined;
  const streamLog = childLogger(log, { logger: 'stream_events' });
  return (event) => {
    streamLog('debug', `STREAM - DEBUG - ${event.type}`, { runId: event.runId, seq: event.seq, type: event.type, agent: event.agent.name, path: event.agent.path });
  };
}
