import type { Location } from './entities.ts';
import { unwritableFields, type FieldProblem } from './customer-input.ts';

export interface LocationInput {
  name?: string | undefined;
  address?: Record<string, string> | undefined;
  active?: boolean | undefined;
}

export const LOCATION_WRITABLE: readonly string[] = ['name', 'address', 'active'];

export type LocationDraft = Pick<Location, 'name' | 'address' | 'active'>;

/** Applies an input onto nothing (create) or the current location (update). */
export function draftLocation(input: LocationInput, current?: Location): LocationDraft {
  const address = input.address ?? current?.address ?? {};
  const trimmed: Record<string, string> = {};
  for (const [k, v] of Object.entries(address)) if (v.trim() !== '') trimmed[k] = v.trim();
  return {
    name: (input.name ?? current?.name ?? '').trim(),
    address: trimmed,
    active: input.active ?? current?.active ?? true,
  };
}

export type LocationDecision = { ok: true; draft: LocationDraft } | { ok: false; problems: FieldProblem[] };

/** Validates an input and applies it onto nothing (create) or the current location (update). */
export function decideLocation(input: LocationInput, current?: Location): LocationDecision {
  const problems = unwritableFields(input, LOCATION_WRITABLE).map((field) => ({
    field,
    message: 'not a writable field',
  }));
  const address: unknown = input.address;
  if (address !== undefined && (typeof address !== 'object' || address === null || Array.isArray(address))) {
    problems.push({ field: 'address', message: 'address must be an object of text values' });
  } else if (address !== undefined) {
    for (const [k, v] of Object.entries(address)) {
      if (typeof v !== 'string') problems.push({ field: `address.${k}`, message: 'not text' });
    }
  }
  if (input.active !== undefined && typeof input.active !== 'boolean')
    problems.push({ field: 'active', message: 'active must be true or false' });
  if (input.name !== undefined && typeof input.name !== 'string')
    problems.push({ field: 'name', message: 'name must be text' });
  if (problems.length > 0) return { ok: false, problems };
  const draft = draftLocation(input, current);
  if (!draft.name) return { ok: false, problems: [{ field: 'name', message: 'name must not be empty' }] };
  return { ok: true, draft };
}
