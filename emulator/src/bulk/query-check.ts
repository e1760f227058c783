/** `bulkOperationRunQuery`'s document checks (parse and schema validation), in Shopify's words. */
import type { DocumentNode } from 'graphql';
import { parseAndValidate } from '../graphql/prepare.ts';
import type { ApiVersion } from '../graphql/schema.ts';
import type { BulkUserError } from './operation.ts';

export function invalid(message: string): BulkUserError {
  return { field: ['query'], message, code: 'INVALID' };
}

/** Parse + schema validation (A's Shopify-worded messages); Shopify prefixes them with "Invalid bulk query: ". */
export function checkQuery(
  version: ApiVersion,
  query: string,
): { document: DocumentNode } | { errors: string[] } {
  if (query.trim() === '') return { errors: ['Invalid bulk query: syntax error, unexpected end of file'] };
  const checked = parseAndValidate(version, query);
  if (checked.document) return { document: checked.document };
  return {
    errors: checked.errors.map((e) =>
      /^syntax error, Unexpected <EOF>/.test(e.message)
        ? 'Invalid bulk query: syntax error, unexpected end of file'
        : `Invalid bulk query: ${e.message}`,
    ),
  };
}
