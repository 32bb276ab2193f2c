import { AppError } from '../../errors/app-error.ts';

/**
 * Which URLs a run's webhook may name: `AGENTSTREAM_WEBHOOK_ALLOWLIST`, comma-separated origins
 * (`https://hooks.example.com`) or URL prefixes (`https://hooks.example.com/agentstream/`). The server POSTs to what a
 * client names, so this list is the guard against server-side request forgery: nothing outside it is ever called
 * (redirects are not followed). Entries are compared as parsed URLs: same origin exactly, then a path prefix.
 */
export type WebhookAllowlist = { readonly entries: readonly URL[]; assertAllowed(url: string): void; allows(url: string): boolean };

export function createWebhookAllowlist(entries: readonly string[]): WebhookAllowlist {
  const parsed = entries.map((entry) => {
    const url = parseHttpUrl(entry);
    if (!url) throw new Error(`AGENTSTREAM_WEBHOOK_ALLOWLIST entry '${entry}' is not an http(s) URL.`);
    return url;
  });
  const allows = (text: string) => {
    const url = parseHttpUrl(text);
    return url !== undefined && parsed.some((entry) => entry.origin === url.origin && url.pathname.startsWith(entry.pathname));
  };
  return {
    entries: parsed,
    allows,
    assertAllowed(url) {
      if (parsed.length === 0) throw new AppError('webhook_not_allowed', { message: 'Webhooks are off on this server: it has no AGENTSTREAM_WEBHOOK_ALLOWLIST.' });
      const target = parseHttpUrl(url);
      if (!target) throw invalidUrl('must be an http:// or https:// URL');
      // Credentials in a URL end up in logs and in the delivery record; a receiver authenticates by the signature.
      if (target.username || target.password) throw invalidUrl('must not carry a user name or password (receivers check the signature instead)');
      if (!allows(url)) throw new AppError('webhook_not_allowed', { message: 'webhook.url is not on this server\'s webhook allowlist.' });
    },
  };
}

function invalidUrl(message: string): AppError {
  return new AppError('validation_failed', { message: `webhook.url: ${message}`, details: { fields: [{ field: 'webhook.url', message }] } });
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
