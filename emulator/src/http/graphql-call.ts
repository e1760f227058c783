import { Kind, type OperationDefinitionNode } from 'graphql';
import { bulkRootResolvers } from '../bulk/index.ts';
import type { Emulator } from '../control/emulator.ts';
import {
  actualQueryCost,
  analyzeQueryCost,
  costDebugFields,
  MAX_QUERY_COST,
  type QueryCost,
} from '../graphql/cost.ts';
import { costExtension, maxCostExceededBody, throttledResponse } from '../graphql/throttle-response.ts';
import {
  executeAdminGraphQL,
  type AdminGraphQLResponse,
  type GraphQLResponseBody,
  type PreparedRequest,
} from '../graphql/index.ts';
import type { AccessToken } from '../oauth/token-store.ts';

export interface GraphQLCall {
  shop: string;
  token: AccessToken;
  version: string;
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
  costDebug: boolean;
}

export interface GraphQLOutcome {
  response: AdminGraphQLResponse;
  headers: Record<string, string>;
  prepared: PreparedRequest | null;
  cost: QueryCost | null;
  actualCost: number | null;
  throttled: boolean;
}

/** Version → validate → cost cap → (faulty or real) throttle → execute → refund + `extensions.cost`. */
export async function runGraphQL(emu: Emulator, call: GraphQLCall): Promise<GraphQLOutcome> {
  const out: GraphQLOutcome = {
    response: { status: 200, body: {} },
    headers: {},
    prepared: null,
    cost: null,
    actualCost: null,
    throttled: false,
  };
  const bucket = emu.throttles.bucketFor(call.token.apiKey, call.shop);
  out.response = await executeAdminGraphQL({
    store: emu.store,
    shop: call.shop,
    appKey: call.token.apiKey,
    scopes: call.token.scopes,
    clock: emu.clock,
    rootResolvers: bulkRootResolvers(emu.bulk, emu.stagedUploads),
    version: call.version,
    query: call.query,
    variables: call.variables,
    operationName: call.operationName,
    beforeExecute: (prepared) => {
      out.prepared = prepared;
      const cost = analyzeQueryCost(prepared.schema, prepared.document, {
        variables: prepared.variables,
        operationName: call.operationName,
      });
      out.cost = cost;
      const requested = cost.requestedQueryCost;
      if (requested > MAX_QUERY_COST)
        return {
          status: 200,
          body: maxCostExceededBody(requested, bucket.status()) as unknown as GraphQLResponseBody,
        };
      const faults = emu.faults;
      const forced = faults.roll(faults.settings.throttleRate);
      const take = forced ? null : bucket.take(requested);
      if (take && take.ok) return undefined;
      const status = take ? take.status : bucket.status();
      const retryAfter = take && !take.ok ? take.retryAfterSeconds : 1;
      const throttled = throttledResponse(
        requested,
        status,
        retryAfter,
        faults.settings.throttleStatus === 429 ? '429' : '200',
      );
      out.throttled = true;
      Object.assign(out.headers, throttled.headers);
      return { status: throttled.statusCode, body: throttled.body as unknown as GraphQLResponseBody };
    },
    afterExecute: (_prepared, response) => {
      const cost = out.cost;
      if (!cost) return response;
      const body = response.body as GraphQLResponseBody;
      const actual = actualQueryCost(cost, body.data);
      out.actualCost = actual;
      const status = bucket.refund(cost.requestedQueryCost - actual);
      const extension = costExtension(
        cost.requestedQueryCost,
        actual,
        status,
        call.costDebug ? costDebugFields(cost) : undefined,
      );
      return { ...response, body: { ...body, extensions: { ...body.extensions, cost: extension } } };
    },
  });
  return out;
}

export function operationOf(prepared: PreparedRequest | null): OperationDefinitionNode | null {
  return prepared?.operation ?? null;
}

/** Root field names of the operation (fragments on the root are expanded one level). */
export function rootFieldsOf(operation: OperationDefinitionNode | null): string[] {
  if (!operation) return [];
  const names: string[] = [];
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind === Kind.FIELD && sel.name.value !== '__typename') names.push(sel.name.value);
    if (sel.kind === Kind.INLINE_FRAGMENT)
      for (const inner of sel.selectionSet.selections)
        if (inner.kind === Kind.FIELD) names.push(inner.name.value);
  }
  return names;
}
