import { serve } from './serve.ts';

// The only place that reads the environment and the process: everything below receives its config.
await serve({ env: process.env, cwd: process.cwd(), argv: process.argv.slice(2) });
