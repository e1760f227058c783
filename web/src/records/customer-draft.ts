import type { Address, Customer } from '../types.ts';
import type { FieldErrors } from './field-errors.ts';
import { tagsFromText, tagsToText } from './tags.ts';

/** An address for the API: blank lines left out. */
export function cleanAddress(a: Address): Address {
  const out: Address = {};
  for (const [k, v] of Object.entries(a) as [keyof Address, string | undefined][])
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

export interface CustomerDraft {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  note: string;
  tags: string;
  addresses: Address[];
}

export const NEW_CUSTOMER: CustomerDraft = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  note: '',
  tags: '',
  addresses: [],
};

export function customerDraftOf(c: Customer): CustomerDraft {
  return {
    firstName: c.first_name,
    lastName: c.last_name,
    email: c.email ?? '',
    phone: c.phone ?? '',
    note: c.note,
    tags: tagsToText(c.tags),
    addresses: c.addresses.map((a) => ({ ...a })),
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export function customerBody(d: CustomerDraft): Record<string, unknown> {
  return {
    first_name: d.firstName.trim(),
    last_name: d.lastName.trim(),
    email: orNull(d.email),
    phone: orNull(d.phone),
    note: d.note,
    tags: tagsFromText(d.tags),
    addresses: d.addresses.map(cleanAddress),
  };
}

/** The PATCH body: only the fields that differ from the customer as loaded (the address list whole). */
export function customerUpdateBody(d: CustomerDraft, loaded: Customer): Record<string, unknown> {
  const now = customerBody(d);
  const was = customerBody(customerDraftOf(loaded));
  return Object.fromEntries(
    Object.entries(now).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k])),
  );
}

/** Refused before asking the API: a customer with no name, email or phone; an email without "@". */
export function checkCustomer(d: CustomerDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.firstName.trim() && !d.lastName.trim() && !d.email.trim() && !d.phone.trim())
    errors['email'] = 'Enter a name, an email address or a phone number, so the customer can be found.';
  else if (d.email.trim() && !/^[^\s@]+@[^\s@]+$/.test(d.email.trim()))
    errors['email'] = 'Enter an email address such as name@example.com.';
  return errors;
}
