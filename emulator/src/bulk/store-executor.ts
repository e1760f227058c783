import { getOperationAST } from 'graphql';
import type { RootResolvers } from '../graphql/context.ts';
import { executePrepared } from '../graphql/execute.ts';
import { loadAdminSchema } from '../graphql/schema.ts';
import type { Store } from '../store/index.ts';
import type { BulkPageExecutor } from './runner.ts';

/**
 * The executor the composition root passes to `createBulkOperations`: each page goes through
 * A's normal execution (`executePrepared`) in bulk mode, for the caller's shop, app and scopes
 * (`bulkMode: false` for bulk mutation lines, which run as single calls).
 */
export function createStoreBulkExecutor(
  store: Store,
  rootResolvers?: RootResolvers,
  bulkMode = true,
): BulkPageExecutor {
  return (request) => {
    const operation = getOperationAST(request.document);
    if (!operation) throw new Error('bulk page document has no operation');
    const prepared = {
      version: request.version,
      schema: loadAdminSchema(request.version),
      document: request.document,
      operation,
      variables: request.variables,
    };
    return executePrepared(prepared, {
      store,
      shop: request.shop,
      appKey: request.appKey,
      scopes: [...request.scopes],
      bulkMode,
      ...(rootResolvers ? { rootResolvers } : {}),
    });
  };
}
