import type { GraphQLResolveInfo } from 'graphql';
import { idOf, StoreError } from '../../store/index.ts';
import type { ExecContext, RootResolver } from '../context.ts';
import { hasScope } from '../context.ts';
import { accessDenied, notImplemented } from '../errors.ts';

/** A userError as Shopify returns it (`code` only on typed user errors). */
export interface UserErrorData {
  field: string[] | null;
  message: string;
  /** Null on typed user errors without a specific code. */
  code: string | null;
}

export type Input = Record<string, unknown>;

export function userError(field: (string | number)[] | null, message: string, code?: string): UserErrorData {
  return {
    field: field === null ? null : field.map(String),
    message,
    code: code ?? null,
  };
}

/** Wraps a mutation: checks the write scope first (Shopify's ACCESS_DENIED). */
export function mutation(
  field: string,
  scope: string | null,
  run: (args: Input, ctx: ExecContext, info: GraphQLResolveInfo) => unknown,
): RootResolver {
  return (args, ctx, info) => {
    if (scope !== null && !hasScope(ctx, scope)) throw accessDenied(field, scope);
    return run(args, ctx, info);
  };
}

/**
 * Input fields the emulator does not apply answer a named error rather than being
 * silently dropped. `false`/null/empty lists are accepted (they change nothing).
 */
export function rejectUnsupported(input: Input, supported: readonly string[], typeName: string): void {
  for (const [name, value] of Object.entries(input)) {
    if (supported.includes(name) || value === null || value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    throw notImplemented(`Input field '${name}' of ${typeName}`);
  }
}

/** Numeric id of a GID of `type`, or null (malformed or another type). */
export function numericId(value: unknown, type: string): number | null {
  return typeof value === 'string' ? idOf(value, type) : null;
}

/** A Money/Decimal input is valid when it is a finite number. */
export function isMoney(value: unknown): boolean {
  return (
    (typeof value === 'string' || typeof value === 'number') && value !== '' && Number.isFinite(Number(value))
  );
}

export function isNegative(value: unknown): boolean {
  return isMoney(value) && Number(value) < 0;
}

/** Copies present (non-undefined) keys from `input` under the same names. */
export function pick<T extends object>(input: Input, keys: readonly (keyof T & string)[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (input[key] !== undefined) out[key] = input[key];
  return out as Partial<T>;
}

/** Runs a store call and turns a StoreError into a userError list. */
export function attempt<T>(
  field: string[] | null,
  run: () => T,
): { value: T; errors: [] } | { value: null; errors: UserErrorData[] } {
  try {
    return { value: run(), errors: [] };
  } catch (error) {
    if (error instanceof StoreError) return { value: null, errors: [userError(field, error.message)] };
    throw error;
  }
}
