/**
 * Builds the publishable server package into dist/ (`npm run build:package`; `npm publish ./dist` publishes it).
 * The repo's own package.json is the development one (its exports point at src/*.ts, which Node 24 runs by
 * stripping types) and stays private; Node never strips types under node_modules, so what a registry install
 * gets is compiled: tsc's JavaScript and .d.ts (tsconfig.build.json), the data files the built-in tools read,
 * the prebuilt UI (web/dist), the CLI, and a manifest whose exports, main, types and bin point at that JavaScript.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Where the package is assembled: the folder `npm pack` / `npm publish` is given. */
export const PACKAGE_DIR = join(root, 'dist');

type Manifest = { name: string; version: string; description: string; license: string; dependencies: Record<string, string> };

/** The oldest Node the compiled package runs on (bin/agentstream.mjs checks the same). */
export const COMPILED_MIN_NODE = '>=22.13';

/** The published manifest: the repo's name, version and runtime dependencies, entry points on the compiled files. */
function publishedManifest(repo: Manifest) {
  return {
    name: repo.name,
    version: repo.version,
    description: repo.description,
    type: 'module',
    license: repo.license,
    // Compiled, it needs no type stripping: Node 22.13 is the first with node:sqlite unflagged (checked on 22.13 and 24).
    engines: { node: COMPILED_MIN_NODE },
    keywords: ['ai', 'agents', 'sse', 'streaming', 'multi-agent', 'ag-ui', 'openai'],
    exports: {
      '.': { types: './src/index.d.ts', default: './src/index.js' },
      './package.json': './package.json',
    },
    main: './src/index.js',
    types: './src/index.d.ts',
    bin: { agentstream: 'bin/agentstream.mjs' },
    files: ['src', 'client', 'bin', 'web/dist', 'README.md', 'LICENSE'],
    dependencies: repo.dependencies,
  };
}

/** Assembles the package from scratch in `outDir` (default dist/). Needs the dev dependencies (TypeScript) and a built UI (web/dist). */
export function buildPackage(options: { outDir?: string; quiet?: boolean } = {}): string {
  const out = resolve(options.outDir ?? PACKAGE_DIR);
  if (!existsSync(join(root, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first.');
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: options.quiet ? 'pipe' : 'inherit' });
  // Read at run time next to the compiled modules (`new URL('./data/…', import.meta.url)`).
  cpSync(join(root, 'src/tools/data'), join(out, 'src/tools/data'), { recursive: true });
  cpSync(join(root, 'web/dist'), join(out, 'web/dist'), { recursive: true });
  mkdirSync(join(out, 'bin'), { recursive: true });
  cpSync(join(root, 'bin/agentstream.mjs'), join(out, 'bin/agentstream.mjs'));
  for (const file of ['README.md', 'LICENSE']) cpSync(join(root, file), join(out, file));
  const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(publishedManifest(repo), null, 2)}\n`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = buildPackage();
  console.log(`built the package into ${dir}: npm pack ./dist, or npm publish ./dist`);
}
