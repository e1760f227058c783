import {
  createCustomer,
  deleteCustomer,
  gid,
  orderCountOf,
  updateCustomer,
  type AddressInput,
  type CustomerInput,
  type CustomerRecord,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { customerView } from '../views/order.ts';
import { shopView } from '../views/shop.ts';
import {
  mutation,
  numericId,
  pick,
  rejectUnsupported,
  userError,
  type Input,
  type UserErrorData,
} from './common.ts';

const CUSTOMER_FIELDS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'phone',
  'note',
  'tags',
  'taxExempt',
  'addresses',
] as const;
const ADDRESS_FIELDS = [
  'address1',
  'address2',
  'city',
  'company',
  'country',
  'countryCode',
  'firstName',
  'lastName',
  'phone',
  'province',
  'provinceCode',
  'zip',
] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function addressInput(input: Input): AddressInput {
  rejectUnsupported(input, [...ADDRESS_FIELDS, 'id'], 'MailingAddressInput');
  return pick<AddressInput>(input, ADDRESS_FIELDS);
}

export function customerInput(input: Input, typeName = 'CustomerInput'): CustomerInput {
  rejectUnsupported(input, CUSTOMER_FIELDS, typeName);
  const out = pick<CustomerInput>(input, [
    'email',
    'firstName',
    'lastName',
    'phone',
    'note',
    'tags',
    'taxExempt',
  ]);
  if (Array.isArray(input['addresses'])) out.addresses = (input['addresses'] as Input[]).map(addressInput);
  return out;
}

/** Email/phone format and uniqueness, as Shopify checks them. */
export function contactErrors(ctx: ExecContext, input: CustomerInput, ownId: number | null): UserErrorData[] {
  const errors: UserErrorData[] = [];
  const taken = (match: (c: CustomerRecord) => boolean) => {
    for (const c of ctx.shop.customers.values()) if (c.id !== ownId && match(c)) return true;
    return false;
  };
  if (input.email) {
    if (!EMAIL.test(input.email)) errors.push(userError(['email'], 'Email is invalid'));
    else if (taken((c) => c.email?.toLowerCase() === input.email?.toLowerCase()))
      errors.push(userError(['email'], 'Email has already been taken'));
  }
  if (input.phone) {
    if (!/^\+?[\d\s()-]{6,20}$/.test(input.phone)) errors.push(userError(['phone'], 'Phone is invalid'));
    else if (taken((c) => c.phone === input.phone))
      errors.push(userError(['phone'], 'Phone has already been taken'));
  }
  return errors;
}

const result = (ctx: ExecContext, customer: CustomerRecord | null, userErrors: UserErrorData[]) => ({
  customer: customer ? customerView(ctx, customer) : null,
  userErrors,
});

export const customerCreate = mutation('customerCreate', 'write_customers', (args, ctx) => {
  const input = customerInput(args['input'] as Input);
  if (!input.email && !input.phone && !input.firstName && !input.lastName) {
    return result(ctx, null, [userError(null, 'A name, phone number, or email address must be present')]);
  }
  const errors = contactErrors(ctx, input, null);
  if (errors.length > 0) return result(ctx, null, errors);
  return result(ctx, createCustomer(ctx.store, ctx.shop, input, ctx.appKey), []);
});

export const customerUpdate = mutation('customerUpdate', 'write_customers', (args, ctx) => {
  const raw = args['input'] as Input;
  const id = numericId(raw['id'], 'Customer');
  if (id === null || !ctx.shop.customers.has(id))
    return result(ctx, null, [userError(['id'], 'Customer does not exist')]);
  const input = customerInput(raw);
  const errors = contactErrors(ctx, input, id);
  if (errors.length > 0) return result(ctx, null, errors);
  return result(ctx, updateCustomer(ctx.store, ctx.shop, id, input, ctx.appKey), []);
});

export const customerDelete = mutation('customerDelete', 'write_customers', (args, ctx) => {
  const id = numericId((args['input'] as Input)['id'], 'Customer');
  const base = { shop: () => shopView(ctx) };
  if (id === null || !ctx.shop.customers.has(id)) {
    return { ...base, deletedCustomerId: null, userErrors: [userError(['id'], "Customer can't be found")] };
  }
  if (orderCountOf(ctx.shop, id) > 0) {
    return {
      ...base,
      deletedCustomerId: null,
      userErrors: [userError(['id'], 'Customer can’t be deleted because they have associated orders')],
    };
  }
  deleteCustomer(ctx.store, ctx.shop, id, ctx.appKey);
  return { ...base, deletedCustomerId: gid('Customer', id), userErrors: [] };
});
