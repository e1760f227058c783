/** Small fetch helpers for tests. */
export interface JsonReply {
  status: number;
  body: unknown;
  headers: Headers;
}

/** `at(body, 'data', 'products', 'nodes', 0)`: walks parsed JSON, undefined when a step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export async function json(url: string, init: RequestInit & { body?: string } = {}): Promise<JsonReply> {
  const res = await fetch(url, {
    redirect: 'manual',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return json(url, { method: 'POST', body: JSON.stringify(body), headers });
}

export function graphql(
  origin: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  version = '2026-04',
) {
  return post(
    `${origin}/admin/api/${version}/graphql.json`,
    { query, variables },
    { 'X-Shopify-Access-Token': token },
  );
}
