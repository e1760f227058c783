import { getDirectiveValues, GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { nowSeconds } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { versionAtLeast } from '../schema.ts';
import { userError, type UserErrorData } from './common.ts';

/** The `key` of an `@idempotent(key:)` directive on the mutation field, if any. */
export function idempotencyKey(info: GraphQLResolveInfo): string | null {
  const directive = info.schema.getDirective('idempotent');
  const node = info.fieldNodes[0];
  if (!directive || !node) return null;
  const values = getDirectiveValues(directive, node, info.variableValues);
  return typeof values?.['key'] === 'string' ? values['key'] : null;
}

/** Stable JSON (sorted keys) so equal arguments give equal fingerprints. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type IdempotentOutcome<R> =
  { replay: R } | { mismatch: UserErrorData } | { fresh: (result: R) => void };

/**
 * Looks up an idempotency key (per app and shop). Same key + same arguments → the
 * recorded result; same key + other arguments → IDEMPOTENCY_KEY_PARAMETER_MISMATCH;
 * otherwise the caller runs the mutation and records its result with `fresh`.
 * From 2026-04 the key is required for these mutations.
 */
export function checkIdempotency<R>(
  ctx: ExecContext,
  info: GraphQLResolveInfo,
  args: unknown,
): IdempotentOutcome<R> {
  const key = idempotencyKey(info);
  if (key === null) {
    if (versionAtLeast(ctx.version, '2026-04')) {
      throw new GraphQLError(
        `An idempotency key is required for ${info.fieldName}. Provide one with the @idempotent(key:) directive.`,
        {
          extensions: { code: 'BAD_REQUEST' },
        },
      );
    }
    return { fresh: () => undefined };
  }
  const storeKey = `${ctx.appKey}\n${key}`;
  const fingerprint = `${info.fieldName}:${stableJson(args)}`;
  const record = ctx.shop.idempotency.get(storeKey);
  if (record) {
    if (record.fingerprint === fingerprint) return { replay: record.result as R };
    return {
      mismatch: userError(
        null,
        'The same idempotency key cannot be used with different operation parameters.',
        'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
      ),
    };
  }
  return {
    fresh: (result) => {
      ctx.shop.idempotency.set(storeKey, {
        key,
        appKey: ctx.appKey,
        fingerprint,
        result,
        createdAt: nowSeconds(ctx.clock),
      });
    },
  };
}
