/**
 * Builds the web UI into web/dist when it is missing or older than any of its sources (web/src,
 * web/index.html, web/vite.config.ts, client/, src/events/). Run by `npm start` and `npm test`; a fresh
 * build takes a few seconds, an up-to-date one exits at once. web/dist is committed, so a production
 * install (`npm ci --omit=dev`, no vite) serves the committed build: without vite this script builds nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const builtIndex = join(root, 'web/dist/index.html');
const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'client', 'src/events'].map((path) => join(root, path));

/** The newest modification time (ms) of a file or of any file below a folder. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist is missing or older than its newest source. */
export function isWebBuildStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return sources.some((source) => newestMtime(source) > builtAt);
}

/** Builds the UI with Vite's JS API if it is stale; resolves with whether it built. */
export async function ensureWebBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && !isWebBuildStale()) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    // A production install has no dev dependencies: the committed web/dist is what it serves.
    if (existsSync(builtIndex) && !options.force) return false;
    throw new Error('web/dist is missing and vite is not installed: run `npm install` then `npm run build`.');
  }
  const { build } = vite;
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await ensureWebBuild({ force: process.argv.includes('--force') });
  if (!built) console.log('web/dist is up to date');
}
