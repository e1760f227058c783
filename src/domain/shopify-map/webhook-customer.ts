import { attempt } from './common.ts';
import type { Mapped, ShopifyAddress, ShopifyCustomer } from './shapes.ts';
import {
  asPayload,
  fromWebhook,
  Reader,
  resourceGid,
  type FromWebhook,
  type Payload,
} from './webhook-payload.ts';

/** REST address keys → the GraphQL MailingAddress keys `mapAddress` reads. */
const ADDRESS_KEYS: readonly [string, keyof ShopifyAddress][] = [
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['company', 'company'],
  ['address1', 'address1'],
  ['address2', 'address2'],
  ['city', 'city'],
  ['province', 'province'],
  ['province_code', 'provinceCode'],
  ['zip', 'zip'],
  ['country', 'country'],
  ['country_code', 'countryCodeV2'],
  ['phone', 'phone'],
];

export function addressFromWebhook(a: Payload, what: string): ShopifyAddress {
  const r = new Reader(a, what);
  const out: ShopifyAddress = {};
  for (const [from, to] of ADDRESS_KEYS) {
    if (a[from] !== undefined) out[to] = r.text(from);
  }
  return out;
}

/**
 * `addresses`, with `default_address` first when the list does not already hold it (same id). A
 * customer with no address may still carry a `default_address` filled with neutral values (id 0, empty
 * texts), as an order of no customer carries a `customer` (the topic's schema requires the object):
 * that is no address.
 */
function addresses(r: Reader): ShopifyAddress[] {
  const list = r.list('addresses') ?? [];
  const def = r.p['default_address'];
  const all = [...list];
  if (typeof def === 'object' && def !== null && !Array.isArray(def)) {
    const d = def as Payload;
    const placeholder = d['id'] === 0 || d['id'] === '0';
    const listed = d['id'] !== undefined && list.some((a) => a['id'] === d['id']);
    if (!listed && !placeholder) all.unshift(d);
  }
  return all.map((a, i) => addressFromWebhook(a, `customer address ${i + 1}`));
}

/**
 * customers/create|update|enable|disable → the GraphQL customer `mapCustomer` reads. Since 2025-01
 * the payload carries no `tags`, so such a payload is never complete.
 */
export function customerFromWebhook(body: unknown): Mapped<FromWebhook<ShopifyCustomer>> {
  return attempt(() => {
    const p = asPayload(body, 'customer');
    const gid = resourceGid(p, 'Customer');
    const r = new Reader(p, `customer ${gid}`);
    const email = r.text('email');
    const phone = r.text('phone');
    const updatedAt = r.requiredTime('updated_at');
    const customer: ShopifyCustomer = {
      id: gid,
      firstName: r.text('first_name'),
      lastName: r.text('last_name'),
      defaultEmailAddress: email === null ? null : { emailAddress: email },
      defaultPhoneNumber: phone === null ? null : { phoneNumber: phone },
      note: r.text('note'),
      tags: r.tags(),
      addresses: addresses(r),
      createdAt: r.requiredTime('created_at').iso,
      updatedAt: updatedAt.iso,
    };
    return fromWebhook(gid, updatedAt.date, r.missing, customer);
  });
}
