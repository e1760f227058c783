/**
 * The Admin API root fields backed by bulk operations, in the shape of A's `RootResolvers`
 * (`ExecuteOptions.rootResolvers`): `bulkOperation(id)`, `bulkOperations(…)`, `currentBulkOperation(type)`,
 * `bulkOperationRunQuery(query, groupObjects)` and `bulkOperationCancel(id)`.
 * `groupObjects` is accepted and needs nothing: children always follow their parent.
 */
import type { ExecContext, RootResolvers } from '../graphql/context.ts';
import type { BulkOperationType } from './operation.ts';
import { bulkOperationsResolver } from './list-resolver.ts';
import type { BulkCaller, BulkOperations } from './registry.ts';

function callerOf(ctx: ExecContext): BulkCaller {
  return { shop: ctx.shop.domain, appKey: ctx.appKey, scopes: [...ctx.scopes], version: ctx.version };
}

export function bulkRootResolvers(operations: BulkOperations): RootResolvers {
  return {
    query: {
      bulkOperations: bulkOperationsResolver(operations, callerOf),
      bulkOperation: (args, ctx) => operations.get(callerOf(ctx), String(args['id'])),
      currentBulkOperation: (args, ctx) =>
        operations.current(callerOf(ctx), (args['type'] as BulkOperationType | undefined) ?? 'QUERY'),
    },
    mutation: {
      bulkOperationRunQuery: (args, ctx) => operations.runQuery(callerOf(ctx), String(args['query'])),
      bulkOperationCancel: (args, ctx) => operations.cancel(callerOf(ctx), String(args['id'])),
    },
  };
}
