import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDefinition } from './define-app.ts';
import { ConfigError } from './load-config-file.ts';

/** The config modules `agentstream serve` looks for in the working directory, in this order. */
export const CONFIG_MODULE_NAMES = ['agentstream.config.ts', 'agentstream.config.mjs', 'agentstream.config.js'];

/** True when a path names a config module (TypeScript or JavaScript) rather than the JSON file. */
export function isConfigModulePath(path: string): boolean {
  return /\.(?:ts|mts|js|mjs)$/.test(path);
}

/**
 * Imports a config module (the given path, else the first of CONFIG_MODULE_NAMES in `cwd`) and returns its
 * default export. Node 24 imports `.ts` by stripping the types. No module: undefined.
 */
export async function loadConfigModule(path: string | undefined, cwd = process.cwd()): Promise<{ app: AppDefinition; path: string } | undefined> {
  const file = path ? resolve(cwd, path) : CONFIG_MODULE_NAMES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  if (!existsSync(file)) throw new ConfigError(`Config module ${file} does not exist.`);
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError(`${file}: could not be loaded: ${(error as Error).message}`);
  }
  const app = typeof loaded.default === 'function' ? await (loaded.default as () => unknown)() : loaded.default;
  if (typeof app !== 'object' || app === null || Array.isArray(app)) throw new ConfigError(`${file}: its default export must be an object { tools, agents, teams }.`);
  const unknown = Object.keys(app).filter((key) => !['tools', 'agents', 'teams'].includes(key));
  if (unknown.length > 0) throw new ConfigError(`${file}: unknown key(s) ${unknown.join(', ')} (expected tools, agents, teams).`);
  return { app: app as AppDefinition, path: file };
}
