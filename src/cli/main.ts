import { runCli } from './cli.ts';

// The process edge of the CLI: real stdout/stderr, the environment, SIGINT.
const code = await runCli(process.argv.slice(2), {
  stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY, get columns() { return process.stdout.columns; } },
  stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY },
  env: process.env,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
});
process.exitCode = code;
// Let stdout drain; nothing else keeps the process alive once a command is done.
