import type { Address } from '../entities.ts';
import { normaliseEmail, normaliseTags } from '../text.ts';
import { attempt, blankToNull, parseTime, requireGid, shopifyTime } from './common.ts';
import type { Mapped, ShopifyAddress, ShopifyCustomer } from './shapes.ts';
import type { CustomerSyncFields } from './snapshot.ts';

export interface CustomerFromShopify extends CustomerSyncFields {
  gid: string;
  tags: string[];
  addresses: Address[];
  createdAt: Date;
  updatedAt: Date;
}

const ADDRESS_FIELDS: readonly [keyof ShopifyAddress, keyof Address][] = [
  ['address1', 'address1'],
  ['address2', 'address2'],
  ['city', 'city'],
  ['province', 'province'],
  ['zip', 'zip'],
  ['country', 'country'],
  ['countryCodeV2', 'countryCode'],
  ['company', 'company'],
  ['phone', 'phone'],
  ['firstName', 'firstName'],
  ['lastName', 'lastName'],
];

/** A Shopify address as a Retailos address: blank fields are left out. */
export function mapAddress(a: ShopifyAddress): Address {
  const out: Address = {};
  for (const [from, to] of ADDRESS_FIELDS) {
    const v = blankToNull(a[from]);
    if (v !== null) out[to] = v;
  }
  return out;
}

export function mapCustomer(c: ShopifyCustomer): Mapped<CustomerFromShopify> {
  return attempt(() => {
    const email = blankToNull(c.defaultEmailAddress?.emailAddress);
    return {
      gid: requireGid(c.id, 'Customer'),
      email: email === null ? null : normaliseEmail(email),
      firstName: (c.firstName ?? '').trim(),
      lastName: (c.lastName ?? '').trim(),
      phone: blankToNull(c.defaultPhoneNumber?.phoneNumber),
      note: c.note ?? '',
      tags: normaliseTags(c.tags ?? []),
      addresses: (c.addresses ?? []).map(mapAddress),
      createdAt: parseTime(c.createdAt, 'createdAt'),
      updatedAt: parseTime(c.updatedAt, 'updatedAt'),
    };
  });
}

export function customerToShopify(c: CustomerFromShopify): ShopifyCustomer {
  return {
    id: c.gid,
    firstName: c.firstName,
    lastName: c.lastName,
    defaultEmailAddress: c.email === null ? null : { emailAddress: c.email },
    defaultPhoneNumber: c.phone === null ? null : { phoneNumber: c.phone },
    note: c.note,
    tags: [...c.tags],
    addresses: c.addresses.map((a) => {
      const out: ShopifyAddress = {};
      for (const [from, to] of ADDRESS_FIELDS) if (a[to] !== undefined) out[from] = a[to];
      return out;
    }),
    createdAt: shopifyTime(c.createdAt),
    updatedAt: shopifyTime(c.updatedAt),
  };
}
