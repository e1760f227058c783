import type { GraphQLResolveInfo } from 'graphql';
import { externalId, gid, isoSeconds, type AddressRecord, type MoneyBag } from '../../store/index.ts';
import { paginate, type PageArgs, type SortedItems } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';

/** A view: GraphQL field name → value or `(args, ctx, info) => value`. Absent = not implemented. */
export type View = Record<string, unknown>;

export type FieldFn<A = Record<string, unknown>> = (
  args: A,
  ctx: ExecContext,
  info: GraphQLResolveInfo,
) => unknown;

export function iso(seconds: number | null): string | null {
  return seconds === null ? null : isoSeconds(seconds);
}

export function moneyV2(amount: string, currencyCode: string): View {
  return { amount, currencyCode };
}

/** MoneyBag view from a shop/presentment pair. */
export function moneyBag(bag: MoneyBag, shopCurrency: string, presentmentCurrency: string): View {
  return {
    shopMoney: moneyV2(bag.shop, shopCurrency),
    presentmentMoney: moneyV2(bag.presentment, presentmentCurrency),
  };
}

export function countView(count: number): View {
  return { count, precision: 'EXACT' };
}

/** `legacyResourceId`: the id Shopify shows, as digits (an UnsignedInt64). */
export function legacyId(id: number): string {
  return externalId(id);
}

/**
 * Rejects arguments the emulator does not honour (given and not null), so a query
 * never silently gets a different answer than Shopify would give. `false` is accepted
 * (schema defaults such as `includeInactive: false` match the emulator's behaviour).
 */
export function rejectUnknownArgs(args: object, allowed: readonly string[], where: string): void {
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined && value !== null && value !== false && !allowed.includes(name)) {
      throw notImplemented(`Argument '${name}' on ${where}`);
    }
  }
}

export const PAGE_ARGS = ['first', 'last', 'after', 'before', 'reverse'] as const;

/** A Relay connection view over sorted items. */
export function connectionView<T>(
  ctx: ExecContext,
  sorted: SortedItems<T>,
  args: PageArgs,
  toView: (item: T) => View,
): View {
  const page = paginate(sorted, args, ctx.bulkMode);
  const first = page.slice[0];
  const last = page.slice[page.slice.length - 1];
  return {
    edges: () => page.slice.map((item) => ({ cursor: page.cursorOf(item), node: toView(item) })),
    nodes: () => page.slice.map(toView),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: first === undefined ? null : page.cursorOf(first),
      endCursor: last === undefined ? null : page.cursorOf(last),
    },
  };
}

/** Connection over a small list in natural order (by id). */
export function listConnection<T>(
  ctx: ExecContext,
  items: T[],
  idOf: (item: T) => number,
  args: PageArgs & { reverse?: boolean | null },
  toView: (item: T) => View,
): View {
  return connectionView(
    ctx,
    {
      items: args.reverse ? [...items].reverse() : items,
      key: idOf,
      id: idOf,
      reverse: args.reverse === true,
    },
    args,
    toView,
  );
}

export function addressView(address: AddressRecord, modelName: string): View {
  const name = [address.firstName, address.lastName].filter(Boolean).join(' ');
  return {
    id: `${gid('MailingAddress', address.id)}?model_name=${modelName}`,
    firstName: address.firstName,
    lastName: address.lastName,
    name: name || null,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.provinceCode,
    country: address.country,
    countryCodeV2: address.countryCode,
    zip: address.zip,
    phone: address.phone,
    formatted: () =>
      [
        address.address1,
        address.address2,
        [address.zip, address.city].filter(Boolean).join(' '),
        address.country,
      ].filter(Boolean),
  };
}
