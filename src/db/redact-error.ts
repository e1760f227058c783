/**
 * What of a Postgres error may be logged. PGlite attaches the query's parameters to its errors
 * (`params`, and `queryOptions`), and both engines put row values in `detail` ("Key (email)=(a@b.c)
 * already exists."), in `where` and, for invalid input (SQLSTATE class 22), in the message itself
 * ('invalid input syntax for type integer: "…"'). A customer's e-mail must not reach the log through
 * any of them; the SQL, the SQLSTATE, the constraint, table and column names stay, they hold no data.
 */

const DROPPED = ['params', 'queryOptions'] as const;
const HIDDEN = '[redacted]';

/** A Postgres error from PGlite or node-postgres: a severity and a five-character SQLSTATE. */
export function isDatabaseError(err: unknown): err is Error & { code: string; severity: string } {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; severity?: unknown };
  return typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
}

/** The message with the values Postgres quotes in it hidden (class 22, data exceptions, echo the input). */
export function redactedDatabaseMessage(err: Error & { code: string }): string {
  return err.code.startsWith('22') ? err.message.replace(/"(?:[^"]|"")*"/g, `"${HIDDEN}"`) : err.message;
}

/** Hides the values in a serialized database error's fields (a copy made for the log; mutated). */
export function redactDatabaseFields(fields: Record<string, unknown>): void {
  for (const key of DROPPED) if (key in fields) fields[key] = HIDDEN;
  if (typeof fields['detail'] === 'string') {
    // "Key (tenant_id, email)=(…, a@b.c) already exists." keeps its column list; any other detail
    // ("Failing row contains (…)") is hidden whole.
    const key = /^Key \((.*?)\)=\(/.exec(fields['detail']);
    fields['detail'] = key ? `Key (${key[1] ?? ''})=(${HIDDEN})` : HIDDEN;
  }
  if (typeof fields['where'] === 'string')
    fields['where'] = fields['where'].replace(/'(?:[^']|'')*'/g, `'${HIDDEN}'`);
}
