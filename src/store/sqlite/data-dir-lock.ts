import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StartupError } from '../../config/startup-error.ts';

/** Lock files this process holds: a second store on the same file in one process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the embedded store's lock: a pid file beside the SQLite file. A second process on the same data directory
 * refuses to start, naming the first, before it touches the file (it would otherwise resume the first one's live
 * runs as its own). A lock left by a process that is gone (kill -9) is taken over. Returns `release`.
 */
export function lockDataDir(databaseFile: string): () => void {
  const lockFile = `${databaseFile}.lock`;
  if (heldHere.has(lockFile)) throw new StartupError(`${databaseFile} is already open in this process.`);
  // A fresh data directory does not exist yet: the lock is its first file.
  mkdirSync(dirname(databaseFile), { recursive: true });
  for (let tries = 0; ; tries += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
      const holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new StartupError(`another agentstream (pid ${holder}) is using ${databaseFile}; stop it, or give this one its own AGENTSTREAM_DATA_DIR.`);
      }
      // Its holder is gone: the lock is stale.
      rmSync(lockFile, { force: true });
    }
  }
  heldHere.add(lockFile);
  return () => {
    if (!heldHere.delete(lockFile)) return;
    rmSync(lockFile, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
