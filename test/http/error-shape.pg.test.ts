import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/api-client.ts';

const t = useTestApp();

const tokenCount = async (): Promise<number> => {
  const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from api_tokens');
  return rows[0]?.n ?? -1;
};

const post = (payload: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/tokens',
    payload,
    headers: { 'content-type': 'application/json', ...t.bearer(t.a), ...headers },
  });

describe('the closed error shape', () => {
  it('malformed JSON answers 400 invalid_json', async () => {
    const res = await post('{"name": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
  });

  it('an empty JSON body answers 400 invalid_json', async () => {
    const res = await post('');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('an unknown field answers 422 validation_failed naming it, and writes nothing', async () => {
    const before = await tokenCount();
    const res = await post(JSON.stringify({ name: 'ok', nmae: 'typo' }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'the request does not match the schema',
        details: {
          location: 'body',
          issues: [{ path: '', code: 'unrecognized_keys', message: expect.stringContaining('nmae') }],
        },
      },
    });
    expect(await tokenCount()).toBe(before);
  });

  it('an over-long string answers 422 validation_failed with its path', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(101) }));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ path: 'name', code: 'too_big' }] } },
    });
  });

  it('a wrong type and a missing field answer 422', async () => {
    expect((await post(JSON.stringify({ name: 5 }))).json()).toMatchObject({
      error: { details: { issues: [{ path: 'name' }] } },
    });
    expect((await post('{}')).statusCode).toBe(422);
  });

  it('a body that is not JSON answers 415 unsupported_media_type', async () => {
    const res = await post('name=x', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('a body over the limit answers 413 payload_too_large', async () => {
    const small = await t.variant({ bodyLimit: 64 });
    const res = await small.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: JSON.stringify({ name: 'x'.repeat(80) }),
      headers: { 'content-type': 'application/json', ...t.bearer(t.a) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: { code: 'payload_too_large', message: 'the body is larger than allowed' },
    });
  });

  it('an unknown path answers 404 not_found in the same shape, with or without credentials', async () => {
    for (const headers of [{}, t.bearer(t.a)]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing-here' } });
    }
  });

  it('a malformed id in the path answers 422 validation_failed for params', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/tokens/not-a-uuid',
      headers: t.bearer(t.a),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { location: 'params' } },
    });
  });
});
