import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The message Shopify signs on OAuth and install redirects: every query parameter except `hmac`
 * (and the legacy `signature`), sorted by key, form-encoded (URLSearchParams) as key=value joined
 * with '&' — byte for byte what Shopify's own library (@shopify/shopify-api) validates.
 */
export function queryHmacMessage(params: URLSearchParams): string {
  const entries = new Map<string, string[]>();
  for (const [k, v] of params) {
    if (k === 'hmac' || k === 'signature') continue;
    entries.set(k, [...(entries.get(k) ?? []), v]);
  }
  const sorted = [...entries.keys()].sort((a, b) => a.localeCompare(b));
  const out = new URLSearchParams();
  for (const k of sorted) out.append(k, (entries.get(k) ?? []).join(','));
  return out.toString();
}

function safeEqualHex(a: string, b: string): boolean {
  if (!/^[0-9a-f]+$/i.test(a) || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase(), 'hex'), Buffer.from(b.toLowerCase(), 'hex'));
}

/** Hex HMAC-SHA256 of the query (install and OAuth callback), compared in constant time. */
export function verifyQueryHmac(params: URLSearchParams, secrets: readonly string[]): boolean {
  const given = params.get('hmac');
  if (!given) return false;
  const message = queryHmacMessage(params);
  return secrets.some((secret) =>
    safeEqualHex(given, createHmac('sha256', secret).update(message).digest('hex')),
  );
}

/** Base64 HMAC-SHA256 of the exact webhook body bytes, compared in constant time; any current secret. */
export function verifyWebhookHmac(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'base64');
  if (given.length !== 32 || given.toString('base64') !== header) return false;
  return secrets.some((secret) =>
    timingSafeEqual(given, createHmac('sha256', secret).update(rawBody).digest()),
  );
}
