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
