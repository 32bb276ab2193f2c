#!/usr/bin/env node
// The `agentstream` command. The code is TypeScript that Node 24 runs by stripping types, so an older Node
// gets a clear message instead of a syntax error.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`agentstream needs Node.js 24 or newer (this is ${process.version}). Install Node 24, or run it with npx -p node@24 agentstream …\n`);
  process.exit(2);
}
await import('../src/cli/main.ts');
