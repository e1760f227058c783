import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOperationAST, GraphQLError, type ExecutionResult } from 'graphql';
import {
  createBulkOperations,
  createStagedUploads,
  type StagedUploads,
  immediateScheduler,
  type BulkOperations,
  type BulkPace,
  type BulkPageRequest,
  type Scheduler,
  type SetTimer,
} from '../bulk/index.ts';
import { executePrepared, loadAdminSchema, resolveApiVersion } from '../graphql/index.ts';
import type { Store } from '../store/index.ts';
import type { WebhookService } from '../webhooks/webhook-service.ts';
import type { EmulatorClock } from './clock.ts';

export interface BulkWiring {
  store: Store;
  clock: EmulatorClock;
  webhooks: WebhookService;
  baseUrl: () => string;
  signingSecret: string;
  scheduler?: Scheduler | undefined;
  dataDir?: string | undefined;
  /** Objects per second per export, read before each page. */
  pace: () => BulkPace;
  setTimer?: SetTimer | undefined;
  onError(err: unknown): void;
}

/**
 * Bulk operations run query pages through the GraphQL executor in bulk mode, and mutation lines
 * through it as single calls (the staged uploads hold their variables); the end is announced by webhook.
 */
export function wireBulk(w: BulkWiring): { bulk: BulkOperations; uploads: StagedUploads } {
  const dataDir = w.dataDir ?? mkdtempSync(join(tmpdir(), 'shopify-emulator-bulk-'));
  const uploads = createStagedUploads({
    dataDir,
    baseUrl: w.baseUrl,
    signingSecret: w.signingSecret,
    clock: w.clock,
  });
  const bulk = createBulkOperations({
    clock: w.clock,
    dataDir,
    baseUrl: w.baseUrl,
    signingSecret: w.signingSecret,
    execute: (req) => executePage(w.store, req, true),
    executeMutation: (req) => executePage(w.store, req, false),
    uploads,
    scheduler: w.scheduler ?? immediateScheduler,
    pace: w.pace,
    ...(w.setTimer ? { setTimer: w.setTimer } : {}),
  });
  bulk.onFinish((event) => {
    try {
      w.webhooks.publish(
        event.shop,
        'bulk_operations/finish',
        { ...event.webhookPayload },
        { appKey: event.appKey },
      );
    } catch (err) {
      w.onError(err);
    }
  });
  return { bulk, uploads };
}

async function executePage(store: Store, req: BulkPageRequest, bulkMode: boolean): Promise<ExecutionResult> {
  const version = resolveApiVersion(req.version);
  const operation = getOperationAST(req.document);
  if (!version || !operation)
    return { errors: [new GraphQLError(`cannot run a bulk page for version ${req.version}`)] };
  const prepared = {
    version,
    schema: loadAdminSchema(version),
    document: req.document,
    operation,
    variables: req.variables,
  };
  const body = await executePrepared(prepared, {
    store,
    shop: req.shop,
    appKey: req.appKey,
    scopes: [...req.scopes],
    bulkMode,
  });
  const errors = body.errors?.map((e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} }));
  return { data: body.data ?? null, ...(errors && errors.length > 0 ? { errors } : {}) };
}
