import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapCustomer } from './index.ts';
import { readWebhookBody, storableJson, storableString, storableText } from './webhook-json.ts';

const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

describe('text Postgres can store', () => {
  it('NUL and lone surrogates become U+FFFD; paired surrogates and other text are kept', () => {
    expect(storableString('gate\u0000code')).toBe('gate\ufffdcode');
    expect(storableString('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(storableString('emoji 😀 ok')).toBe('emoji 😀 ok');
    const plain = { a: ['x', { b: 'y' }], d: new Date(0) };
    expect(storableText(plain)).toBe(plain);
    expect(storableText({ 'k\u0000': ['v\ud800'] })).toEqual({ 'k\ufffd': ['v\ufffd'] });
  });

  it('any string comes out storable, and unchanged when it already was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = storableString(s);
        expect(UNSTORABLE.test(out)).toBe(false);
        expect(out.length).toBe(s.length);
        if (!UNSTORABLE.test(s)) expect(out).toBe(s);
      }),
    );
  });

  it('the mappers store a note with a NUL byte or a lone surrogate as U+FFFD (import, GraphQL read and webhook alike)', () => {
    const m = mapCustomer({
      id: 'gid://shopify/Customer/1',
      firstName: 'A\u0000',
      lastName: 'B',
      defaultEmailAddress: null,
      defaultPhoneNumber: null,
      note: 'gate\u0000code \ud800',
      tags: [],
      addresses: [],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(m).toMatchObject({ ok: true, value: { firstName: 'A\ufffd', note: 'gate\ufffdcode \ufffd' } });
  });
});

describe('webhook bodies read losslessly', () => {
  it('integers past 2^53 are bigints with every digit; others stay numbers', () => {
    expect(readWebhookBody('{"id":788032119674292922,"n":3,"w":0.5,"s":"x\\u0000"}')).toEqual({
      ok: true,
      value: { id: 788032119674292922n, n: 3, w: 0.5, s: 'x\ufffd' },
    });
  });

  it('a key repeated with different values is not read (which one Shopify meant is unknown)', () => {
    expect(readWebhookBody('{"a":1,"a":2}')).toEqual({
      ok: false,
      reason: expect.stringMatching(/could not be read: Duplicate key 'a'/),
    });
    expect(storableJson('{"a":1,"a":2}')).toBeNull();
  });

  it('a number Postgres numeric cannot hold leaves no jsonb (the raw body is still read)', () => {
    expect(storableJson('{"a":1e999999}')).toBeNull();
    expect(storableJson('{"a":1.5e300,"b":-0.25}')).toBe('{"a":1.5e300,"b":-0.25}');
    expect(readWebhookBody('{"a":1e999999}')).toEqual({ ok: true, value: { a: Infinity } });
  });

  it('the jsonb text keeps every digit and holds no NUL or lone surrogate escape', () => {
    const out = storableJson('{"id":18446744073709551615,"note":"a\\u0000b\\ud800"}');
    expect(out).toBe('{"id":18446744073709551615,"note":"a\ufffdb\ufffd"}');
  });
});
