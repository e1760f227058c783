import { z } from 'zod';
import { CoreError } from '../core/errors.ts';
import { badRequest } from './errors.ts';

/**
 * Optimistic concurrency on PATCH of a record: the version the client read, as the body's `version` or
 * an `If-Match` header (`"3"`, `W/"3"` or `3`; `*` matches any version). Leaving both out keeps the old
 * behaviour: the write goes ahead whatever the version.
 */
export const versionField = z
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .optional()
  .describe(
    'The version of the record this edit was made from; when the record has moved on, the edit is refused ' +
      'with 409 stale_version and the current record (details.current). The If-Match header does the same.',
  );

const IF_MATCH = /^(?:W\/)?"?(\d{1,10})"?$/;

/** The version a PATCH expects, from its body or its If-Match header; undefined when it names none. */
export function expectedVersion(
  bodyVersion: number | undefined,
  ifMatch: string | string[] | undefined,
): number | undefined {
  const header = Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch;
  if (header === undefined || header.trim() === '*') return bodyVersion;
  const m = IF_MATCH.exec(header.trim());
  const fromHeader = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(fromHeader) || fromHeader < 1 || fromHeader > 2_147_483_647)
    throw badRequest(
      'If-Match must be the record version, e.g. "3"',
      { if_match: header },
      'invalid_if_match',
    );
  if (bodyVersion !== undefined && bodyVersion !== fromHeader)
    throw badRequest('version and If-Match name different versions', undefined, 'version_mismatch');
  return fromHeader;
}

/** A `stale_version` refusal with the current record on the wire (`details.current`), not the core's shape. */
export function staleWithCurrent<T>(toJson: (record: T) => unknown): (err: unknown) => never {
  return (err) => {
    if (err instanceof CoreError && err.code === 'stale_version') {
      const { record } = err.details as { record: T };
      throw new CoreError(err.kind, err.code, err.message, { current: toJson(record) }, { cause: err });
    }
    throw err;
  };
}
