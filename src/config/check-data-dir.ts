import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { StartupError } from './startup-error.ts';

/** The data directory exists (it is created when missing) and this process may write in it; else one clear line. */
export function checkDataDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new StartupError(`AGENTSTREAM_DATA_DIR '${dir}' is not a directory.`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StartupError(`AGENTSTREAM_DATA_DIR '${dir}' cannot be created: ${reason(error)}.`, { cause: error });
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StartupError(`AGENTSTREAM_DATA_DIR '${dir}' is not writable: ${reason(error)}.`, { cause: error });
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way';
  if (code === 'EROFS') return 'the file system is read-only';
  return (error as Error).message;
}
