import { gid, restId, type AddressRecord, type CustomerRecord, type ShopData } from '../../store/index.ts';
import { restTime } from './rest.ts';

export function addressPayload(
  a: AddressRecord,
  customerId: number | null,
  isDefault: boolean,
): Record<string, unknown> {
  const name = [a.firstName, a.lastName].filter((p) => p).join(' ');
  return {
    id: restId(a.id),
    customer_id: restId(customerId),
    first_name: a.firstName,
    last_name: a.lastName,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: a.phone,
    name,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: isDefault,
  };
}

export function customerPayload(shop: ShopData, c: CustomerRecord): Record<string, unknown> {
  const addresses = c.addresses.map((a) => addressPayload(a, c.id, a.id === c.defaultAddressId));
  const defaultAddress = addresses.find((a) => a['default'] === true) ?? null;
  return {
    addresses,
    admin_graphql_api_id: gid('Customer', c.id),
    created_at: restTime(c.createdAt),
    currency: shop.currency,
    default_address: defaultAddress,
    email: c.email,
    first_name: c.firstName,
    id: restId(c.id),
    last_name: c.lastName,
    multipass_identifier: null,
    note: c.note,
    phone: c.phone,
    state: c.state.toLowerCase(),
    tax_exempt: c.taxExempt,
    tax_exemptions: [],
    updated_at: restTime(c.updatedAt),
    verified_email: c.email !== null,
  };
}

export function customerDeletePayload(customerId: number): Record<string, unknown> {
  return {
    addresses: [],
    admin_graphql_api_id: gid('Customer', customerId),
    email_marketing_consent: null,
    id: restId(customerId),
    phone: null,
    sms_marketing_consent: null,
    tax_exemptions: [],
  };
}
