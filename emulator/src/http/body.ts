import type { FastifyInstance } from 'fastify';

/** What a route gets when the body was not valid JSON: it decides the error, the process never crashes. */
export const MALFORMED = Symbol('malformed-body');

export interface MalformedBody {
  [MALFORMED]: true;
  error: string;
}

export function isMalformed(body: unknown): body is MalformedBody {
  return typeof body === 'object' && body !== null && MALFORMED in body;
}

/** JSON bodies parsed leniently (errors become a MalformedBody); `application/graphql` as a raw query. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (err) {
      done(null, {
        [MALFORMED]: true,
        error: err instanceof Error ? err.message : String(err),
      } satisfies MalformedBody);
    }
  });
  app.addContentTypeParser('application/graphql', { parseAs: 'string' }, (_req, body, done) => {
    done(null, { query: typeof body === 'string' ? body : body.toString('utf8') });
  });
}

export function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !isMalformed(body)
    ? (body as Record<string, unknown>)
    : {};
}
