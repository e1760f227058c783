import { z } from 'zod';
import type { Address, Customer } from '../../domain/entities.ts';
import type { CustomerInput } from '../../domain/customer-input.ts';
import { versionField } from '../record-version.ts';
import { listQuery, shortText, tags } from './common.ts';

/** Address keys on the wire (snake_case) and in the domain (camelCase). */
const ADDRESS_FIELDS = {
  address1: 'address1',
  address2: 'address2',
  city: 'city',
  province: 'province',
  zip: 'zip',
  country: 'country',
  country_code: 'countryCode',
  company: 'company',
  phone: 'phone',
  first_name: 'firstName',
  last_name: 'lastName',
} as const satisfies Record<string, keyof Address>;

type WireAddress = { -readonly [K in keyof typeof ADDRESS_FIELDS]?: string | undefined };

const addressBody = z.strictObject({
  address1: shortText.optional(),
  address2: shortText.optional(),
  city: shortText.optional(),
  province: shortText.optional(),
  zip: shortText.optional(),
  country: shortText.optional(),
  country_code: shortText.optional(),
  company: shortText.optional(),
  phone: shortText.optional(),
  first_name: shortText.optional(),
  last_name: shortText.optional(),
});

const customerFields = {
  email: shortText.nullable().optional(),
  first_name: shortText.optional(),
  last_name: shortText.optional(),
  phone: shortText.nullable().optional(),
  note: z.string().max(5000).optional(),
  tags: tags.optional(),
  addresses: z.array(addressBody).max(50).optional(),
};

export const customerCreateBody = z.strictObject(customerFields);
export const customerUpdateBody = z.strictObject({ ...customerFields, version: versionField });
export const customerListQuery = listQuery.extend({ email: shortText.optional() });

const text = z.string().optional();
const addressJson = z.object({
  address1: text,
  address2: text,
  city: text,
  province: text,
  zip: text,
  country: text,
  country_code: text,
  company: text,
  phone: text,
  first_name: text,
  last_name: text,
});

export const customerJson = z.object({
  id: z.string(),
  email: z.string().nullable(),
  first_name: z.string(),
  last_name: z.string(),
  phone: z.string().nullable(),
  note: z.string(),
  tags: z.array(z.string()),
  addresses: z.array(addressJson),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

function addressFromWire(a: WireAddress): Address {
  const out: Address = {};
  for (const [wire, key] of Object.entries(ADDRESS_FIELDS)) {
    const v = a[wire as keyof WireAddress];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function addressToWire(a: Address): WireAddress {
  const out: WireAddress = {};
  for (const [wire, key] of Object.entries(ADDRESS_FIELDS)) {
    const v = a[key];
    if (v !== undefined) out[wire as keyof WireAddress] = v;
  }
  return out;
}

export function customerInputFromBody(b: z.infer<typeof customerUpdateBody>): CustomerInput {
  return {
    email: b.email,
    firstName: b.first_name,
    lastName: b.last_name,
    phone: b.phone,
    note: b.note,
    tags: b.tags,
    addresses: b.addresses?.map(addressFromWire),
  };
}

export function customerToJson(c: Customer): z.infer<typeof customerJson> {
  return {
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: c.tags,
    addresses: c.addresses.map(addressToWire),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    version: c.version,
  };
}
