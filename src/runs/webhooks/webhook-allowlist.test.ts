import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors/app-error.ts';
import { createWebhookAllowlist } from './webhook-allowlist.ts';

describe('webhook allowlist', () => {
  const allowlist = createWebhookAllowlist(['https://hooks.example.com', 'http://127.0.0.1:8080/agentstream/']);

  it('allows an origin entry\'s every path, and a prefix entry\'s paths under it', () => {
    for (const url of ['https://hooks.example.com', 'https://hooks.example.com/any/path?x=1', 'https://HOOKS.example.com:443/x', 'http://127.0.0.1:8080/agentstream/runs']) {
      assert.equal(allowlist.allows(url), true, url);
    }
  });

  it('compares parsed URLs: another scheme, port, host or path, a look-alike host and a climbing path are refused', () => {
    for (const url of [
      'http://hooks.example.com/x', 'https://hooks.example.com:8443/x', 'https://hooks.example.com.evil.example/x', 'https://evil.example/?https://hooks.example.com',
      'http://127.0.0.1:8080/other', 'http://127.0.0.1:8080/agentstream/../admin', 'http://127.0.0.1:8081/agentstream/', 'http://localhost:8080/agentstream/', 'file:///etc/passwd', 'not a url',
    ]) {
      assert.equal(allowlist.allows(url), false, url);
    }
  });

  it('answers webhook_not_allowed off the list or with no list, validation_failed for a malformed URL', () => {
    const codeOf = (work: () => void) => {
      try {
        work();
        return 'accepted';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    assert.equal(codeOf(() => allowlist.assertAllowed('https://hooks.example.com/x')), 'accepted');
    assert.equal(codeOf(() => allowlist.assertAllowed('https://elsewhere.example/x')), 'webhook_not_allowed');
    assert.equal(codeOf(() => createWebhookAllowlist([]).assertAllowed('https://hooks.example.com/x')), 'webhook_not_allowed');
    assert.equal(codeOf(() => allowlist.assertAllowed('ftp://hooks.example.com/x')), 'validation_failed');
    assert.equal(codeOf(() => allowlist.assertAllowed('https://user:pass@hooks.example.com/x')), 'validation_failed');
  });

  it('refuses an entry that is not an http(s) URL', () => {
    assert.throws(() => createWebhookAllowlist(['hooks.example.com']), /entry 'hooks.example.com' is not an http\(s\) URL/);
  });
});
