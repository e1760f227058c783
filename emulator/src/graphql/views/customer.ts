import { gid, orderCountOf, type CustomerRecord } from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import {
  addressView,
  iso,
  legacyId,
  listConnection,
  moneyV2,
  PAGE_ARGS,
  rejectUnknownArgs,
  type View,
} from './common.ts';
import { orderVisible, orderView } from './order.ts';

type ConnArgs = PageArgs & { reverse?: boolean | null };

function amountSpent(ctx: ExecContext, customer: CustomerRecord): string {
  let total = 0;
  for (const id of ctx.shop.ordersByCustomer.get(customer.id) ?? []) {
    const order = ctx.shop.orders.get(id);
    if (order && order.cancelledAt === null) total += Number(order.total.shop);
  }
  return total.toFixed(2);
}

export function customerView(ctx: ExecContext, customer: CustomerRecord): View {
  const shop = ctx.shop;
  const defaultAddress = customer.addresses.find((a) => a.id === customer.defaultAddressId) ?? null;
  const displayName =
    [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
    customer.email ||
    customer.phone ||
    '';
  return {
    __typename: 'Customer',
    id: gid('Customer', customer.id),
    legacyResourceId: legacyId(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName,
    email: customer.email,
    phone: customer.phone,
    defaultEmailAddress: customer.email === null ? null : { emailAddress: customer.email },
    defaultPhoneNumber: customer.phone === null ? null : { phoneNumber: customer.phone },
    note: customer.note,
    tags: customer.tags,
    state: customer.state,
    taxExempt: customer.taxExempt,
    verifiedEmail: customer.email !== null,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    numberOfOrders: () => String(orderCountOf(shop, customer.id)),
    amountSpent: () => moneyV2(amountSpent(ctx, customer), shop.currency),
    canDelete: () => orderCountOf(shop, customer.id) === 0,
    defaultAddress: defaultAddress ? addressView(defaultAddress, 'CustomerAddress') : null,
    addresses: (args: { first?: number | null }) =>
      customer.addresses.slice(0, args.first ?? undefined).map((a) => addressView(a, 'CustomerAddress')),
    addressesV2: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Customer.addressesV2');
      return listConnection(
        ctx,
        customer.addresses,
        (a) => a.id,
        args,
        (a) => addressView(a, 'CustomerAddress'),
      );
    },
    orders: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Customer.orders');
      const orders = (shop.ordersByCustomer.get(customer.id) ?? [])
        .flatMap((id) => shop.orders.get(id) ?? [])
        .filter((o) => orderVisible(ctx, o));
      return listConnection(
        ctx,
        orders,
        (o) => o.id,
        args,
        (o) => orderView(ctx, o),
      );
    },
  };
}
