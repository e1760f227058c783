import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopify's query-string HMAC (install / OAuth callback): drop `hmac` and
 * `signature`, sort the rest by key, form-encode as `k=v&…`, HMAC-SHA256 with
 * the app secret, hex digest.
 */
export function queryHmacMessage(params: Readonly<Record<string, string>>): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    if (key === 'hmac' || key === 'signature') continue;
    search.append(key, params[key] ?? '');
  }
  return search.toString();
}

export function signQuery(params: Readonly<Record<string, string>>, secret: string): string {
  return createHmac('sha256', secret).update(queryHmacMessage(params)).digest('hex');
}

/** Webhook HMAC: base64 HMAC-SHA256 over the exact body bytes. */
export function signBody(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
