/**
 * What `bulkOperationRunMutation` checks before it creates an operation: the mutation document (parsed
 * and validated on the version's Admin schema, one mutation with one root field that is not itself a
 * bulk or staged-upload field) and the staged file (found for this shop, JSONL: one JSON object per
 * line). Failures are `BulkMutationUserError`s with Shopify's codes (`BulkMutationErrorCode`).
 */
import { getOperationAST, Kind, type DocumentNode } from 'graphql';
import { parseAndValidate } from '../graphql/prepare.ts';
import type { ApiVersion } from '../graphql/schema.ts';
import type { BulkUserError } from './operation.ts';

/** Root fields a bulk mutation may not run (the emulator's rule: they start or feed bulk operations). */
const NOT_IN_BULK = new Set([
  'bulkOperationRunMutation',
  'bulkOperationRunQuery',
  'bulkOperationCancel',
  'stagedUploadsCreate',
]);

/** The documented wording of `NO_SUCH_FILE` (BulkMutationErrorCode). */
export const NO_SUCH_FILE_MESSAGE =
  "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.";

/** The wording seen for a file that is not JSONL (community.shopify.com thread, not documented). */
export const NOT_JSONL_MESSAGE = 'Unexpected file structure - expected JSONL';

export type CheckedMutation =
  | { readonly document: DocumentNode; readonly lines: readonly Record<string, unknown>[] }
  | { readonly errors: readonly BulkUserError[] };

function invalidMutation(message: string): { errors: readonly BulkUserError[] } {
  return { errors: [{ field: ['mutation'], message, code: 'INVALID_MUTATION' }] };
}

export function checkMutationDocument(
  version: ApiVersion,
  mutation: string,
): { document: DocumentNode } | { errors: readonly BulkUserError[] } {
  if (mutation.trim() === '')
    return invalidMutation('Failed to parse the mutation - syntax error, unexpected end of file');
  const checked = parseAndValidate(version, mutation);
  if (!checked.document) {
    const detail = checked.errors.map((e) => e.message).join('; ');
    return invalidMutation(`Failed to parse the mutation - ${detail}`);
  }
  const operation = getOperationAST(checked.document);
  const fields = operation?.selectionSet.selections ?? [];
  const only = fields.length === 1 ? fields[0] : undefined;
  if (!operation || operation.operation !== 'mutation' || !only || only.kind !== Kind.FIELD)
    return invalidMutation('The bulk mutation must be a single mutation with one root field');
  if (NOT_IN_BULK.has(only.name.value))
    return invalidMutation(`${only.name.value} cannot be run in a bulk mutation`);
  return { document: checked.document };
}

/**
 * The file's lines as variables objects. A trailing newline (or CRLF endings) is fine; a blank line
 * in the middle, a line that is not JSON, or JSON that is not an object makes the whole file invalid.
 * Bytes that are not UTF-8 read as U+FFFD, as a decoder would.
 */
export function parseVariablesFile(file: Buffer): readonly Record<string, unknown>[] | null {
  const text = file.toString('utf8');
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const lines: Record<string, unknown>[] = [];
  for (const line of raw) {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    lines.push(value as Record<string, unknown>);
  }
  return lines;
}

export function checkBulkMutation(
  version: ApiVersion,
  mutation: string,
  file: Buffer | null,
): CheckedMutation {
  const checked = checkMutationDocument(version, mutation);
  if ('errors' in checked) return checked;
  if (file === null)
    return { errors: [{ field: ['stagedUploadPath'], message: NO_SUCH_FILE_MESSAGE, code: 'NO_SUCH_FILE' }] };
  const lines = parseVariablesFile(file);
  if (lines === null)
    return {
      errors: [
        { field: ['stagedUploadPath'], message: NOT_JSONL_MESSAGE, code: 'INVALID_STAGED_UPLOAD_FILE' },
      ],
    };
  return { document: checked.document, lines };
}
