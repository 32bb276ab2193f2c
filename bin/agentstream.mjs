#!/usr/bin/env node
// The `agentstream` command. In an installed package it runs the compiled JavaScript next to it
// (../src/cli/main.js, see scripts/build-package.ts), which needs Node 22.13 (node:sqlite unflagged); in the repo
// it runs the TypeScript sources, which Node 24 runs by stripping types. An older Node gets a clear message
// instead of a syntax error or a missing built-in module.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../src/cli/main.js', import.meta.url);
const isCompiled = existsSync(fileURLToPath(compiled));
const [major, minor] = process.versions.node.split('.').map(Number);
if (isCompiled ? major < 22 || (major === 22 && minor < 13) : major < 24) {
  const needed = isCompiled ? '22.13' : '24';
  process.stderr.write(`agentstream needs Node.js ${needed} or newer (this is ${process.version}). Install Node ${needed}, or run it with npx -p node@24 agentstream …\n`);
  process.exit(2);
}
await import(isCompiled ? compiled.href : '../src/cli/main.ts');
