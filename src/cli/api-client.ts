import { CliError } from './cli-error.ts';

/** How a command reaches the running server's API: its address and an API token. */
export interface ApiOptions {
  url: string;
  token?: string;
}

export interface ApiAnswer {
  status: number;
  ok: boolean;
  /** The JSON body (undefined when there is none or it is not JSON). */
  body: unknown;
  /** The body as text, for messages. */
  text: string;
}

/**
 * Calls the running server's API with the token (a second process must not open the embedded database).
 * An unreachable server, a missing token and a refused token are CliErrors that say what to do; any other
 * answer is returned for the command to read.
 */
export async function callApi(
  o: ApiOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const token = o.token ?? process.env['RETAILOS_TOKEN'];
  if (!token) {
    throw new CliError('pass --token or set RETAILOS_TOKEN (create one with `retailos token create`)');
  }
  const url = `${o.url.replace(/\/$/, '')}${path}`;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const res = await fetch(url, init).catch((err: unknown) => {
    // fetch says "fetch failed"; the reason is its cause's code (ECONNREFUSED) or message ("bad port").
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? err);
    throw new CliError(
      `cannot reach the Retailos server at ${o.url} (${why}): is it running? (--url, or PORT)`,
      { cause: err },
    );
  });
  if (res.status === 401) {
    throw new CliError(
      'the server refused the token (401): check --token or RETAILOS_TOKEN, or create one with `retailos token create`',
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined; // not JSON: the text is the message
  }
  return { status: res.status, ok: res.ok, body: parsed, text };
}

/** The message of the API's error shape, or the body as text. */
export function errorMessage(a: ApiAnswer): string {
  const e = (a.body as { error?: { message?: unknown } } | undefined)?.error;
  return typeof e?.message === 'string' ? e.message : a.text.slice(0, 200);
}

/** The code of the API's error shape, if any. */
export function errorCode(a: ApiAnswer): string | undefined {
  const e = (a.body as { error?: { code?: unknown } } | undefined)?.error;
  return typeof e?.code === 'string' ? e.code : undefined;
}
