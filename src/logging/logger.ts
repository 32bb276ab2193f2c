export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per entry on stderr. `LOG_LEVEL` picks the threshold; `silent` turns it off. */
export function createLogger(level: string = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const threshold = level === 'silent' ? Infinity : (ORDER[level.toLowerCase() as LogLevel] ?? ORDER.info);
  return (entryLevel, message, fields) => {
    if (ORDER[entryLevel] < threshold) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields })}\n`);
  };
}
