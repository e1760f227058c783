import { describe, expect, it } from 'vitest';
import { shapeToSchema } from './shape.ts';

const d = {
  time: '2026-05-01T00:00:00+00:00',
  uri: 'https://s.myshopify.com/admin',
  hostname: 's.myshopify.com',
};
const schema = {
  type: 'object',
  required: ['id', 'note', 'created_at', 'email', 'items', 'gone'],
  properties: {
    id: { type: 'integer' },
    note: { type: ['null', 'string'] },
    title: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    email: { type: 'string', format: 'email' },
    price: { type: 'string' },
    items: {
      type: 'array',
      items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
    },
    gone: { type: 'array', items: false },
    cost: { anyOf: [{ type: 'number' }, { type: 'string' }] },
  },
};

describe('shapeToSchema', () => {
  it('keeps known values, drops fields the version lacks, fills required ones neutrally', () => {
    expect(
      shapeToSchema(schema, { id: 7, title: 'T', extra: 1, items: [{ sku: 'A', x: 1 }], gone: [1] }, d),
    ).toEqual({
      id: 7,
      note: null,
      title: 'T',
      created_at: d.time,
      email: '',
      items: [{ sku: 'A' }],
      gone: [],
    });
  });

  it('coerces numbers to strings where the schema wants a string, and never invents a null for a non-null type', () => {
    const out = shapeToSchema(
      schema,
      { id: 1, price: 12.5, email: null, note: 'n', cost: '4.50' },
      d,
    ) as Record<string, unknown>;
    expect(out['price']).toBe('12.5');
    expect(out['email']).toBe('');
    expect(out['note']).toBe('n');
    expect(out['cost']).toBe('4.50');
  });

  it('an email the record lacks is "", never an address of its own (an order without one, as on Shopify)', () => {
    for (const email of [null, undefined, '']) {
      const out = shapeToSchema(schema, { id: 1, email }, d) as Record<string, unknown>;
      expect(out['email']).toBe('');
    }
    const kept = shapeToSchema(schema, { id: 1, email: 'a@b.test' }, d) as Record<string, unknown>;
    expect(kept['email']).toBe('a@b.test');
  });

  it('replaces a malformed formatted string', () => {
    const out = shapeToSchema(schema, { id: 1, created_at: 'yesterday' }, d) as Record<string, unknown>;
    expect(out['created_at']).toBe(d.time);
  });
});
