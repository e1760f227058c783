import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Emulator } from '../../control/emulator.ts';
import type { GraphQLResponseBody } from '../../graphql/index.ts';
import { authenticate, INVALID_TOKEN_BODY } from '../access-token-auth.ts';
import { addedLatency, injectedFailure } from '../api-faults.ts';
import { asRecord, isMalformed } from '../body.ts';
import { operationOf, rootFieldsOf, runGraphQL, type GraphQLOutcome } from '../graphql-call.ts';
import { shopOr404 } from '../shop-param.ts';

type Params = { shop: string; version: string };

const BAD_QUERY = { errors: { query: 'Required parameter missing or invalid' } };

/** `POST /admin/api/:version/graphql.json`. */
export function registerGraphQL(app: FastifyInstance, emu: Emulator): void {
  app.post<{ Params: Params }>('/shops/:shop/admin/api/:version/graphql.json', async (req, reply) => {
    const started = Date.now();
    const shop = shopOr404(emu, req.params.shop, reply);
    if (!shop) return reply;
    const log = (status: number, extra: Partial<LogFields> = {}): void =>
      record(emu, { shop: shop.domain, version: req.params.version, status, started, ...extra });
    await addedLatency(emu.faults);
    const failure = injectedFailure(emu.faults);
    if (failure) {
      log(failure.status, { variables: null });
      return reply.code(failure.status).headers(failure.headers).send(failure.body);
    }
    const token = authenticate(emu, shop, req.headers['x-shopify-access-token']);
    if (!token) {
      log(401);
      return reply.code(401).send(INVALID_TOKEN_BODY);
    }
    const body = asRecord(req.body);
    const query = body['query'];
    if (isMalformed(req.body) || typeof query !== 'string' || query.trim() === '') {
      log(400, { appKey: token.apiKey });
      return reply.code(400).send(BAD_QUERY);
    }
    const variables =
      typeof body['variables'] === 'object' && body['variables'] !== null && !Array.isArray(body['variables'])
        ? (body['variables'] as Record<string, unknown>)
        : null;
    const operationName = typeof body['operationName'] === 'string' ? body['operationName'] : null;
    const costDebug =
      req.headers['shopify-graphql-cost-debug'] === '1' ||
      req.headers['x-graphql-cost-include-fields'] === 'true';
    const outcome = await runGraphQL(emu, {
      shop: shop.domain,
      token,
      version: req.params.version,
      query,
      variables,
      operationName,
      costDebug,
    });
    log(outcome.response.status, { appKey: token.apiKey, variables, operationName, outcome });
    return send(reply, outcome);
  });
}

function send(reply: FastifyReply, outcome: GraphQLOutcome): FastifyReply {
  const headers: Record<string, string> = { ...outcome.headers };
  if (outcome.response.version) headers['x-shopify-api-version'] = outcome.response.version;
  return reply.code(outcome.response.status).headers(headers).send(outcome.response.body);
}

interface LogFields {
  shop: string;
  version: string;
  status: number;
  started: number;
  appKey: string | null;
  variables: Record<string, unknown> | null;
  operationName: string | null;
  outcome: GraphQLOutcome;
}

function record(
  emu: Emulator,
  f: Partial<LogFields> & Pick<LogFields, 'shop' | 'version' | 'status' | 'started'>,
): void {
  const operation = operationOf(f.outcome?.prepared ?? null);
  const body = f.outcome?.response.body as GraphQLResponseBody | undefined;
  const errorCodes = (Array.isArray(body?.errors) ? body.errors : [])
    .map((e) => e.extensions?.['code'])
    .filter((c): c is string => typeof c === 'string');
  emu.callLog.record({
    at: emu.clock.now().toISOString(),
    shop: f.shop,
    appKey: f.appKey ?? null,
    apiVersion: f.outcome?.response.version ?? f.version,
    operationName: operation?.name?.value ?? f.operationName ?? null,
    operationType: operation?.operation ?? null,
    rootFields: rootFieldsOf(operation),
    variables: f.variables ?? null,
    requestedCost: f.outcome?.cost?.requestedQueryCost ?? null,
    actualCost: f.outcome?.actualCost ?? null,
    status: f.status,
    throttled: f.outcome?.throttled ?? false,
    errorCodes,
    durationMs: Date.now() - f.started,
  });
}
