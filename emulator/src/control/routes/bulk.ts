import type { FastifyInstance } from 'fastify';
import { bulkOperationGid, isValidPace, type BulkOperationRecord } from '../../bulk/index.ts';
import { normalizeShopDomain } from '../../store/index.ts';
import type { Emulator } from '../emulator.ts';
import { ControlError } from './errors.ts';
import { action } from './helpers.ts';

/**
 * Bulk operation controls: the export pace (`--bulk-pace`), and every operation with millisecond
 * times (Shopify's `createdAt` / `completedAt` have whole seconds; a benchmark wants more).
 */
export function registerBulkRoutes(app: FastifyInstance, emu: Emulator): void {
  app.get(
    '/_emulator/bulk/settings',
    action(() => bulkSettings(emu)),
  );
  app.post(
    '/_emulator/bulk/settings',
    action((body) => {
      const { pace, ...rest } = body;
      const unknown = Object.keys(rest);
      if (unknown.length > 0)
        throw new ControlError(422, 'invalid_request', `unknown bulk setting "${unknown[0] ?? ''}"`);
      if (pace !== undefined) {
        if (!isValidPace(pace))
          throw new ControlError(
            422,
            'invalid_request',
            'pace must be a number of objects per second > 0, or null for no pace',
          );
        emu.settings.bulkPace = pace;
        emu.bulk.kick();
      }
      return bulkSettings(emu);
    }),
  );
  app.get(
    '/_emulator/bulk/operations',
    action((_b, q) => {
      const shop = q['shop'] ? normalizeShopDomain(q['shop']) : undefined;
      return {
        operations: emu.bulk
          .records()
          .filter((r) => shop === undefined || r.shop === shop)
          .map(operationView),
      };
    }),
  );
}

function bulkSettings(emu: Emulator): Record<string, unknown> {
  return { pace: emu.settings.bulkPace };
}

function operationView(r: BulkOperationRecord): Record<string, unknown> {
  return {
    id: bulkOperationGid(r.id),
    shop: r.shop,
    type: r.type,
    status: r.status,
    objectCount: r.objectCount,
    rootObjectCount: r.rootObjectCount,
    createdAtMs: r.createdAtMs,
    completedAtMs: r.completedAtMs,
  };
}
