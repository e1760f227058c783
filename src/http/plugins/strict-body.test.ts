import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enforceStrictBodies, looseObjectPaths } from './strict-body.ts';

describe('looseObjectPaths', () => {
  it('accepts strict objects at every depth', () => {
    const schema = z.strictObject({
      title: z.string(),
      variants: z.array(z.strictObject({ sku: z.string().optional() })).optional(),
      seo: z.strictObject({ title: z.string() }).nullable().default(null),
      meta: z.record(z.string(), z.strictObject({ v: z.string() })),
    });
    expect(looseObjectPaths(schema)).toEqual([]);
  });

  it('names every object that would strip unknown keys', () => {
    const schema = z.strictObject({
      variants: z.array(z.object({ sku: z.string() })),
      address: z.union([z.strictObject({ a: z.string() }), z.looseObject({ b: z.string() })]).optional(),
      piped: z.object({ x: z.string() }).transform((v) => v.x),
    });
    expect(looseObjectPaths(schema)).toEqual(['$.variants[]', '$.address', '$.piped']);
    expect(looseObjectPaths(z.object({}))).toEqual(['$']);
  });
});

describe('enforceStrictBodies', () => {
  it('fails start-up naming the route when a body schema is not strict', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    enforceStrictBodies(app);
    expect(() =>
      app.post('/things', { schema: { body: z.object({ a: z.string() }) } }, async () => 'ok'),
    ).toThrow('POST /things: body objects must be strict (z.strictObject) so unknown fields are rejected: $');
    app.post('/ok', { schema: { body: z.strictObject({ a: z.string() }) } }, async () => 'ok');
    await app.ready();
    await app.close();
  });
});
