// HTTP to Retailos as its users do: the owner logs in, connects the shop through Shopify's consent
// screen (the emulator's), and then calls /api with an API token.
import { OWNER } from './processes.ts';

export interface Answer<T> {
  status: number;
  body: T;
}

export type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<Answer<T>>;

async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text; // not JSON: kept as text so the caller can show it
  }
  return { status: res.status, body: body as T };
}

/** An /api caller with a bearer token. */
export function bearerApi(base: string, token: string): Api {
  return async <T>(method: string, path: string, body?: unknown) =>
    answer<T>(
      await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  const a = await answer<{ csrf_token: string }>(res);
  if (a.status !== 200) throw new Error(`login → ${a.status}: ${JSON.stringify(a.body)}`);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: a.body.csrf_token };
}

async function sessionPost<T>(base: string, s: Session, path: string, body: unknown): Promise<Answer<T>> {
  return answer<T>(
    await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: JSON.stringify(body),
    }),
  );
}

/** Logs in, connects `shop` (Connect → consent page → Approve → callback) and returns an API token. */
export async function connectShop(base: string, shop: string): Promise<string> {
  const s = await login(base);
  const token = await sessionPost<{ token: string }>(base, s, '/api/tokens', { name: 'chaos' });
  if (token.status !== 201) throw new Error(`POST /api/tokens → ${token.status}`);
  const started = await sessionPost<{ authorize_url: string }>(base, s, '/api/shopify/connect', { shop });
  if (started.status !== 200) throw new Error(`connect → ${started.status}: ${JSON.stringify(started.body)}`);
  const authorize = started.body.authorize_url;
  const page = await fetch(authorize);
  await page.text();
  if (page.status !== 200) throw new Error(`consent page → ${page.status}`);
  const form = new URLSearchParams(new URL(authorize).searchParams);
  form.set('decision', 'approve');
  const approved = await fetch(authorize.split('?')[0] as string, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const back = approved.headers.get('location');
  if (approved.status !== 302 || !back) throw new Error(`consent → ${approved.status}`);
  const cb = await fetch(back, { headers: { cookie: s.cookie }, redirect: 'manual' });
  if (cb.status !== 302) throw new Error(`callback → ${cb.status}: ${await cb.text()}`);
  return token.body.token;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks `probe` every `everyMs` until it returns something, failing with `what` after `withinMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  withinMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await sleep(everyMs);
  }
}
