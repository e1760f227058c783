// Secrets and personal data never reach the log: a database error logged with its cause shows no query
// parameter and no row value (PGlite put every parameter, a customer's e-mail among them, on the line),
// and a request line shows the query's names without their values (Shopify's callback brought code,
// state and hmac in clear).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { useTestApp } from '../../test-support/api-client.ts';

const t = useTestApp();

/** A logger writing JSON lines into an array. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info', logFormat: 'json' }, 'test', stream) };
}

async function failure(sql: string, params: unknown[]): Promise<Error> {
  const err = await t.db.query(sql, params).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error(`expected ${sql} to fail`);
  return err;
}

describe('log redaction', () => {
  it('a unique violation logged, alone and as a cause, names the constraint but not the e-mail', async () => {
    const err = await failure('insert into users (tenant_id, email, password_hash) values ($1, $2, $3)', [
      t.a.tenantId,
      t.a.email,
      'not-a-hash',
    ]);
    const { lines, logger } = capture();
    logger.error({ err }, 'unexpected error');
    logger.error({ err: new Error('the write failed', { cause: err }) }, 'job failed');
    logger.error({ err: new AggregateError([err], 'transaction failed and rollback failed') }, 'tx');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(t.a.email);
      expect(line).not.toContain('not-a-hash');
    }
    const logged = JSON.parse(lines[0] ?? '{}') as { err: Record<string, unknown> };
    expect(logged.err['code']).toBe('23505');
    expect(String(logged.err['message'])).toContain('users_email_key');
    expect(logged.err['detail']).toMatch(/^Key \(lower\(email.*\)\)=\(\[redacted\]\)$/);
  });

  it('invalid input echoed in the message is hidden, in the error and in the message of its wrapper', async () => {
    const err = await failure('select $1::int', ['alice@example.com']);
    const { lines, logger } = capture();
    logger.error({ err }, 'unexpected error');
    logger.error({ err: new Error('lookup failed', { cause: err }) }, 'job failed');
    for (const line of lines) expect(line).not.toContain('alice@example.com');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ err: { code: '22P02' } });
  });

  it("a request line shows the callback's query names, not its code, state and hmac", async () => {
    const { lines, logger } = capture();
    const app = buildApp({ ...t.deps, logger });
    try {
      const session = await t.login(t.a);
      const res = await app.inject({
        method: 'GET',
        url: '/shopify/callback?code=SECRETCODE1&state=STATE2&hmac=HMAC3&shop=s.myshopify.com',
        headers: session.headers,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(200);
    } finally {
      await app.close();
    }
    const requestLines = lines.filter((l) => l.includes('/shopify/callback'));
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.join('\n')).toContain(
      '/shopify/callback?code=[redacted]&state=[redacted]&hmac=[redacted]&shop=[redacted]',
    );
    for (const secret of ['SECRETCODE1', 'STATE2', 'HMAC3']) expect(lines.join('\n')).not.toContain(secret);
  });
});
