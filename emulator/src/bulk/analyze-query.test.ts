import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../graphql/schema.ts';
import { analyzeBulkQuery } from './analyze-query.ts';

const schema = loadAdminSchema('2026-01');
const messages = (query: string): string[] => {
  const analysis = analyzeBulkQuery(schema, parse(query));
  return analysis.ok ? [] : analysis.messages;
};

describe('bulk query rules', () => {
  it.each<[string, string, string[]]>([
    ['a plain connection export passes', '{ products { edges { node { id title } } } }', []],
    [
      'nested connections under a node that selects id pass',
      '{ products(query: "status:active") { edges { node { id variants { edges { node { id sku } } } } } } }',
      [],
    ],
    ['no connection', '{ shop { id name } }', ['Bulk queries must contain at least one connection.']],
    [
      'a mutation',
      'mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } }',
      ['Invalid operation type. Only `query` operations are supported.'],
    ],
    [
      'top-level node',
      '{ node(id: "gid://shopify/Product/1") { id } }',
      [
        'Bulk queries cannot contain a top level `node` field.',
        'Bulk queries must contain at least one connection.',
      ],
    ],
    [
      'more than one top-level field',
      '{ products { edges { node { id } } } customers { edges { node { id } } } }',
      ['Bulk queries must contain exactly one top-level field.'],
    ],
    [
      'selecting through nodes',
      '{ products { nodes { id title } } }',
      [
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.",
      ],
    ],
    [
      'two nested levels below the top-level connection pass',
      '{ products { edges { node { id variants { edges { node { id inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }',
      [],
    ],
    [
      'three nested levels below the top-level connection',
      '{ collections { edges { node { id products { edges { node { id variants { edges { node { id metafields { edges { node { id } } } } } } } } } } } } }',
      ['Bulk queries cannot contain connections with a nesting depth greater than 2.'],
    ],
    [
      'six connections',
      `{ products { edges { node { id variants { edges { node { id } } } metafields { edges { node { id } } }
         collections { edges { node { id } } } media { edges { node { id } } } sellingPlanGroups { edges { node { id } } } } } } }`,
      ['Bulk queries cannot contain more than 5 connections.'],
    ],
    [
      'a nested connection whose parent node has no id',
      '{ products { edges { node { title variants { edges { node { id } } } } } } }',
      [
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.",
      ],
    ],
    [
      'an aliased id does not count',
      '{ products { edges { node { pid: id variants { edges { node { id } } } } } } }',
      [
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.",
      ],
    ],
    [
      'a connection inside a list field',
      '{ orders { edges { node { id fulfillments { id events { edges { node { id } } } } } } } }',
      ['Queries that contain a connection field within a list field are not currently supported.'],
    ],
    [
      'a top-level object that is not a connection',
      '{ product(id: "gid://shopify/Product/1") { id variants { edges { node { id } } } } }',
      ['The top-level field of a bulk query must be a connection.'],
    ],
  ])('%s', (_name, query, expected) => {
    expect(messages(query)).toEqual(expected);
  });

  it('plans nested connections by their key path from the enclosing node', () => {
    const analysis = analyzeBulkQuery(
      schema,
      parse(
        '{ p: products { edges { node { id variants { edges { node { id inventoryItem { levels: inventoryLevels { edges { node { id } } } } } } } } } } }',
      ),
    );
    if (!analysis.ok) throw new Error(analysis.messages.join('; '));
    expect(analysis.plan.root.keyPath).toEqual(['p']);
    const variants = analysis.plan.root.children[0];
    expect(variants?.keyPath).toEqual(['variants']);
    expect(variants?.children[0]?.keyPath).toEqual(['inventoryItem', 'levels']);
    expect(analysis.plan.connectionFields.size).toBe(3);
  });
});
