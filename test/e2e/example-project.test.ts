import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../examples/custom-tool/stream-a-run.ts', import.meta.url));

describe('examples/custom-tool', () => {
  it('defines its own tool and agent, starts the server from code and streams a run that uses the tool', async () => {
    const { DATABASE_URL: _d, REDIS_URL: _r, AGENTSTREAM_CONFIG: _c, ...env } = process.env;
    const { stdout } = await run(process.execPath, [SCRIPT, 'Please use reverse_text: hello world'], { env: { ...env, DEMO_TOKEN_DELAY_MS: '0' } });
    assert.match(stdout, /^tool reverse_text -> "dlrow olleh"$/m);
    assert.match(stdout, /^answer: .*reverse_text/m);
    assert.match(stdout, /The reverse_text tool returned: dlrow olleh/);
  });
});
