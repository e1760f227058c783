import { nowSeconds } from './clock.ts';
import { gid, nextId } from './ids.ts';
import { dropMetafields } from './metafields.ts';
import { normalizeTags } from './products.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type { AddressRecord, CustomerRecord, ShopData } from './types.ts';

export type AddressInput = Partial<Omit<AddressRecord, 'id'>>;

export interface CustomerInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  taxExempt?: boolean;
  /** Replaces the address list; the first becomes the default address. */
  addresses?: AddressInput[];
}

export function getCustomer(shop: ShopData, customerId: number): CustomerRecord {
  const customer = shop.customers.get(customerId);
  if (!customer) throw new StoreError('NOT_FOUND', `customer ${customerId} not found`);
  return customer;
}

function toAddress(shop: ShopData, input: AddressInput): AddressRecord {
  return {
    id: nextId(shop, 'MailingAddress'),
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    company: input.company ?? null,
    address1: input.address1 ?? null,
    address2: input.address2 ?? null,
    city: input.city ?? null,
    province: input.province ?? null,
    provinceCode: input.provinceCode ?? null,
    country: input.country ?? null,
    countryCode: input.countryCode ?? null,
    zip: input.zip ?? null,
    phone: input.phone ?? null,
  };
}

export function createCustomer(
  store: Store,
  shop: ShopData,
  input: CustomerInput,
  appKey?: string,
): CustomerRecord {
  const at = nowSeconds(store.clock);
  const addresses = (input.addresses ?? []).map((a) => toAddress(shop, a));
  const customer: CustomerRecord = {
    id: nextId(shop, 'Customer'),
    email: input.email ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    note: input.note ?? null,
    tags: normalizeTags(input.tags ?? []),
    addresses,
    defaultAddressId: addresses[0]?.id ?? null,
    state: 'DISABLED',
    taxExempt: input.taxExempt ?? false,
    createdAt: at,
    updatedAt: at,
  };
  shop.customers.set(customer.id, customer);
  emitCustomer(store, shop, customer, 'create', appKey);
  return customer;
}

export function updateCustomer(
  store: Store,
  shop: ShopData,
  customerId: number,
  input: CustomerInput,
  appKey?: string,
): CustomerRecord {
  const customer = getCustomer(shop, customerId);
  if (input.email !== undefined) customer.email = input.email;
  if (input.firstName !== undefined) customer.firstName = input.firstName;
  if (input.lastName !== undefined) customer.lastName = input.lastName;
  if (input.phone !== undefined) customer.phone = input.phone;
  if (input.note !== undefined) customer.note = input.note;
  if (input.taxExempt !== undefined) customer.taxExempt = input.taxExempt;
  if (input.tags !== undefined) customer.tags = normalizeTags(input.tags);
  if (input.addresses !== undefined) {
    customer.addresses = input.addresses.map((a) => toAddress(shop, a));
    customer.defaultAddressId = customer.addresses[0]?.id ?? null;
  }
  customer.updatedAt = nowSeconds(store.clock);
  emitCustomer(store, shop, customer, 'update', appKey);
  return customer;
}

/** Number of orders the customer placed. */
export function orderCountOf(shop: ShopData, customerId: number): number {
  return shop.ordersByCustomer.get(customerId)?.length ?? 0;
}

/** Deletes a customer; refused (HAS_ORDERS) when the customer has orders, as Shopify does. */
export function deleteCustomer(store: Store, shop: ShopData, customerId: number, appKey?: string): void {
  const customer = getCustomer(shop, customerId);
  if (orderCountOf(shop, customerId) > 0) {
    throw new StoreError('HAS_ORDERS', 'Customer can’t be deleted because they have associated orders');
  }
  shop.customers.delete(customerId);
  dropMetafields(shop, 'CUSTOMER', customerId);
  customer.updatedAt = nowSeconds(store.clock);
  emitCustomer(store, shop, customer, 'delete', appKey);
}

function emitCustomer(
  store: Store,
  shop: ShopData,
  customer: CustomerRecord,
  action: 'create' | 'update' | 'delete',
  appKey?: string,
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'customer',
    action,
    id: gid('Customer', customer.id),
    at: customer.updatedAt,
    ...(appKey === undefined ? {} : { appKey }),
  });
}
