import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CoreError } from '../../core/errors.ts';
import { adjustInventory, listInventory, setInventory } from '../../core/inventory.ts';
import type { CoreDeps } from '../../deps.ts';
import { decodeCursor, invalidCursor, nextCursor } from '../cursor.ts';
import { pageOf } from '../schemas/common.ts';
import {
  inventoryAdjustBody,
  inventoryLevelJson,
  inventoryLevelToJson,
  inventoryListItemJson,
  inventoryListItemToJson,
  inventoryListQuery,
  inventorySetBody,
} from '../schemas/inventory.ts';
import { writeContext } from '../write-context.ts';

const tags = ['inventory'];

/** The core's negative_stock refusal, with its details in wire names (the level and where it would land). */
function snakeCaseRefusal(b: { variant_id: string; location_id: string }) {
  return (err: unknown): never => {
    if (err instanceof CoreError && err.code === 'negative_stock') {
      const available = (err.details as { available?: unknown } | undefined)?.available;
      const details = { variant_id: b.variant_id, location_id: b.location_id, available };
      throw new CoreError(err.kind, err.code, err.message, details, { cause: err });
    }
    throw err;
  };
}

/**
 * /api/inventory: levels per variant and location (filter by variant, location or SKU); set or adjust one
 * level with a reason. Stock never goes below zero (422 negative_stock); foreign ids answer 404.
 */
export function inventoryRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/inventory',
    { schema: { tags, querystring: inventoryListQuery, response: { 200: pageOf(inventoryListItemJson) } } },
    async (req) => {
      const q = req.query;
      const after = q.cursor === undefined ? undefined : (decodeCursor(q.cursor) ?? invalidCursor());
      const filter = { variantId: q.variant_id, locationId: q.location_id, sku: q.sku };
      const items = await listInventory(deps.db, req.auth.tenantId, filter, q.limit, after);
      return {
        items: items.map(inventoryListItemToJson),
        next_cursor: nextCursor(items, q.limit, (l) => l.createdAt),
      };
    },
  );
  r.post(
    '/inventory/set',
    { schema: { tags, body: inventorySetBody, response: { 200: inventoryLevelJson } } },
    async (req) => {
      const b = req.body;
      const input = {
        variantId: b.variant_id,
        locationId: b.location_id,
        available: b.available,
        reason: b.reason,
      };
      const level = await setInventory(deps.db, writeContext(req, deps), input).catch(snakeCaseRefusal(b));
      return inventoryLevelToJson(level);
    },
  );
  r.post(
    '/inventory/adjust',
    { schema: { tags, body: inventoryAdjustBody, response: { 200: inventoryLevelJson } } },
    async (req) => {
      const b = req.body;
      const input = { variantId: b.variant_id, locationId: b.location_id, delta: b.delta, reason: b.reason };
      const level = await adjustInventory(deps.db, writeContext(req, deps), input).catch(snakeCaseRefusal(b));
      return inventoryLevelToJson(level);
    },
  );
}
