import type { Address, Customer } from './entities.ts';
import { normaliseEmail, normaliseTags } from './text.ts';

/** What a caller may write on a customer; absent fields keep their current value. */
export interface CustomerInput {
  email?: string | null | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | null | undefined;
  note?: string | undefined;
  tags?: string[] | undefined;
  addresses?: Address[] | undefined;
}

export const CUSTOMER_WRITABLE: readonly string[] = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'note',
  'tags',
  'addresses',
];

export type CustomerDraft = Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

/** One reason an input is refused, named by its field. */
export interface FieldProblem {
  field: string;
  message: string;
}

const ADDRESS_KEYS: readonly string[] = [
  'address1',
  'address2',
  'city',
  'province',
  'zip',
  'country',
  'countryCode',
  'company',
  'phone',
  'firstName',
  'lastName',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Ids are UUIDs; anything else cannot name a record. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Keys of an input that are not in the writable list (read-only or unknown fields). */
export function unwritableFields(input: object, writable: readonly string[]): string[] {
  return Object.keys(input).filter((k) => !writable.includes(k));
}

export function blankToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s.trim() === '' ? null : s.trim();
}

function normaliseAddress(a: Address): Address {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Applies an input onto nothing (create) or the current customer (update); pure normalisation. */
export function draftCustomer(input: CustomerInput, current?: Customer): CustomerDraft {
  const email = input.email === undefined ? (current?.email ?? null) : blankToNull(input.email);
  return {
    email: email === null ? null : normaliseEmail(email),
    firstName: (input.firstName ?? current?.firstName ?? '').trim(),
    lastName: (input.lastName ?? current?.lastName ?? '').trim(),
    phone: input.phone === undefined ? (current?.phone ?? null) : blankToNull(input.phone),
    note: input.note ?? current?.note ?? '',
    tags: normaliseTags(input.tags ?? current?.tags ?? []),
    addresses: (input.addresses ?? current?.addresses ?? []).map(normaliseAddress),
  };
}

function addressProblems(addresses: unknown): FieldProblem[] {
  if (addresses === undefined) return [];
  if (!Array.isArray(addresses)) return [{ field: 'addresses', message: 'addresses must be a list' }];
  return addresses.flatMap((a: unknown, i): FieldProblem[] => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) {
      return [{ field: `addresses[${i}]`, message: 'an address must be an object' }];
    }
    return Object.entries(a).flatMap(([k, v]) =>
      ADDRESS_KEYS.includes(k) && typeof v === 'string'
        ? []
        : [{ field: `addresses[${i}].${k}`, message: 'unknown key or not text' }],
    );
  });
}

function shapeProblems(input: CustomerInput): FieldProblem[] {
  const problems = unwritableFields(input, CUSTOMER_WRITABLE).map((field) => ({
    field,
    message: 'not a writable field',
  }));
  problems.push(...addressProblems(input.addresses));
  const tags: unknown = input.tags;
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) {
    problems.push({ field: 'tags', message: 'tags must be a list of text' });
  }
  return problems;
}

export type CustomerDecision = { ok: true; draft: CustomerDraft } | { ok: false; problems: FieldProblem[] };

/** Validates an input and the draft it gives (onto nothing, or onto the current customer). */
export function decideCustomer(input: CustomerInput, current?: Customer): CustomerDecision {
  const problems = shapeProblems(input);
  if (problems.length > 0) return { ok: false, problems };
  const draft = draftCustomer(input, current);
  if (draft.email !== null && !EMAIL.test(draft.email))
    problems.push({ field: 'email', message: 'not an email address' });
  if (draft.email === null && draft.phone === null && !draft.firstName && !draft.lastName) {
    problems.push({ field: 'email', message: 'a customer needs a name, an email or a phone' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, draft };
}
