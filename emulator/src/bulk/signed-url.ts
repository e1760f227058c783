import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where the download handler is mounted (owner B): `GET /_emulator/bulk/:file`, file = `<id>.jsonl`. */
export const BULK_DOWNLOAD_PREFIX = '/_emulator/bulk/';

function signature(secret: string, id: number, expires: number): string {
  return createHmac('sha256', secret).update(`${id}.${expires}`).digest('hex');
}

/** `<base>/_emulator/bulk/<id>.jsonl?expires=<epoch s>&signature=<hex HMAC-SHA256>`. */
export function signDownloadUrl(baseUrl: string, secret: string, id: number, expires: number): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}${BULK_DOWNLOAD_PREFIX}${id}.jsonl?expires=${expires}&signature=${signature(secret, id, expires)}`;
}

export type DownloadCheck =
  | { readonly ok: true; readonly id: number; readonly expires: number }
  | { readonly ok: false; readonly reason: 'not_found' | 'bad_signature' | 'expired' };

/** Checks a request path + query (`/_emulator/bulk/12.jsonl?expires=…&signature=…`) against the secret and the clock. */
export function checkDownloadUrl(url: string, secret: string, nowSeconds: number): DownloadCheck {
  const parsed = new URL(url, 'http://emulator.invalid');
  const match = new RegExp(`^${BULK_DOWNLOAD_PREFIX}(\\d+)\\.jsonl$`).exec(parsed.pathname);
  if (!match) return { ok: false, reason: 'not_found' };
  const id = Number(match[1]);
  const expires = Number(parsed.searchParams.get('expires'));
  const given = Buffer.from(parsed.searchParams.get('signature') ?? '', 'utf8');
  const wanted = Buffer.from(signature(secret, id, expires), 'utf8');
  if (!Number.isInteger(expires) || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (nowSeconds >= expires) return { ok: false, reason: 'expired' };
  return { ok: true, id, expires };
}
