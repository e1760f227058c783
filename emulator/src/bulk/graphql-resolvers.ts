/**
 * The Admin API root fields backed by bulk operations, in the shape of A's `RootResolvers`
 * (`ExecuteOptions.rootResolvers`): `bulkOperation(id)`, `bulkOperations(…)`, `currentBulkOperation(type)`,
 * `bulkOperationRunQuery(query, groupObjects)`, `bulkOperationRunMutation(mutation, stagedUploadPath,
 * clientIdentifier)`, `bulkOperationCancel(id)` and `stagedUploadsCreate(input)` (bulk variables only).
 * `groupObjects` is accepted and needs nothing: children always follow their parent.
 */
import type { ExecContext, RootResolvers } from '../graphql/context.ts';
import { notImplemented } from '../graphql/errors.ts';
import type { BulkOperationType } from './operation.ts';
import { bulkOperationsResolver } from './list-resolver.ts';
import type { BulkCaller, BulkOperations } from './registry.ts';
import type { StagedUploadInput, StagedUploads } from './staged-uploads.ts';

function callerOf(ctx: ExecContext): BulkCaller {
  return { shop: ctx.shop.domain, appKey: ctx.appKey, scopes: [...ctx.scopes], version: ctx.version };
}

/** Only bulk mutation variables over a form POST are staged by the emulator; anything else is named. */
function stagedInputs(args: Record<string, unknown>): StagedUploadInput[] {
  const inputs = (args['input'] ?? []) as StagedUploadInput[];
  for (const input of inputs) {
    if (input.resource !== 'BULK_MUTATION_VARIABLES')
      throw notImplemented(`stagedUploadsCreate for resource ${input.resource}`);
    const method = input.httpMethod ?? 'PUT';
    if (method !== 'POST') throw notImplemented(`stagedUploadsCreate with httpMethod ${method}`);
  }
  return inputs;
}

export function bulkRootResolvers(operations: BulkOperations, uploads?: StagedUploads): RootResolvers {
  return {
    query: {
      bulkOperations: bulkOperationsResolver(operations, callerOf),
      bulkOperation: (args, ctx) => operations.get(callerOf(ctx), String(args['id'])),
      currentBulkOperation: (args, ctx) =>
        operations.current(callerOf(ctx), (args['type'] as BulkOperationType | undefined) ?? 'QUERY'),
    },
    mutation: {
      bulkOperationRunQuery: (args, ctx) => operations.runQuery(callerOf(ctx), String(args['query'])),
      bulkOperationRunMutation: (args, ctx) =>
        operations.runMutation(callerOf(ctx), String(args['mutation']), String(args['stagedUploadPath'])),
      bulkOperationCancel: (args, ctx) => operations.cancel(callerOf(ctx), String(args['id'])),
      stagedUploadsCreate: (args, ctx) => {
        const inputs = stagedInputs(args);
        if (!uploads) throw notImplemented('stagedUploadsCreate');
        return uploads.create(ctx.shop.domain, inputs);
      },
    },
  };
}
