/**
 * Expected refusals of a core write. Each carries a snake_case code the HTTP edge shows as is, and a
 * kind that decides the status. Nothing was written when one is thrown (the transaction rolled back).
 */
export type CoreErrorKind = 'not_found' | 'conflict' | 'invalid';

export class CoreError extends Error {
  override name = 'CoreError';
  constructor(
    readonly kind: CoreErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const notFound = (entity: string, id: string): CoreError =>
  new CoreError('not_found', 'not_found', `${entity} ${id} does not exist`, { entity, id });

/**
 * Optimistic concurrency: refuses a write made from an older read of the record. `expected` is the
 * version the caller read (undefined: the caller did not say, and the write goes ahead as before). The
 * refusal is a conflict `stale_version` carrying the record as it is now.
 */
export function requireVersion<T extends { version: number }>(
  entity: string,
  record: T,
  expected: number | undefined,
): void {
  if (expected === undefined || record.version === expected) return;
  throw new CoreError(
    'conflict',
    'stale_version',
    `the ${entity} changed since you read it (version ${expected}, now ${record.version}); reload it and make your change again`,
    { record },
  );
}
