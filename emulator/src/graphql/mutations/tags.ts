import {
  normalizeTags,
  parseGid,
  updateCustomer,
  updateOrder,
  updateProduct,
  type ShopData,
} from '../../store/index.ts';
import { hasScope, type ExecContext } from '../context.ts';
import { accessDenied, notImplemented } from '../errors.ts';
import { customerView, orderVisible, orderView } from '../views/order.ts';
import { productView } from '../views/product.ts';
import { mutation, userError, type Input } from './common.ts';

type Taggable = {
  scope: string;
  tags: (shop: ShopData, id: number) => string[] | null;
  write: (ctx: ExecContext, id: number, tags: string[]) => unknown;
};

const TAGGABLE: Record<string, Taggable> = {
  Product: {
    scope: 'write_products',
    tags: (shop, id) => shop.products.get(id)?.tags ?? null,
    write: (ctx, id, tags) => productView(ctx, updateProduct(ctx.store, ctx.shop, id, { tags }, ctx.appKey)),
  },
  Customer: {
    scope: 'write_customers',
    tags: (shop, id) => shop.customers.get(id)?.tags ?? null,
    write: (ctx, id, tags) =>
      customerView(ctx, updateCustomer(ctx.store, ctx.shop, id, { tags }, ctx.appKey)),
  },
  Order: {
    scope: 'write_orders',
    tags: (shop, id) => shop.orders.get(id)?.tags ?? null,
    write: (ctx, id, tags) => orderView(ctx, updateOrder(ctx.store, ctx.shop, id, { tags }, ctx.appKey)),
  },
};

function changeTags(field: string, combine: (current: string[], given: string[]) => string[]) {
  return mutation(field, null, (args: Input, ctx) => {
    const parsed = parseGid(String(args['id']));
    const target = parsed ? TAGGABLE[parsed.type] : undefined;
    if (parsed && !target) throw notImplemented(`${field} on ${parsed.type} objects`);
    if (!parsed || !target) return { node: null, userErrors: [userError(['id'], 'Invalid id')] };
    if (!hasScope(ctx, target.scope)) throw accessDenied(field, target.scope);
    const current = target.tags(ctx.shop, parsed.id);
    const order = parsed.type === 'Order' ? ctx.shop.orders.get(parsed.id) : undefined;
    if (current === null || (order && !orderVisible(ctx, order)))
      return { node: null, userErrors: [userError(['id'], 'Node does not exist')] };
    const given = (args['tags'] as string[]).flatMap((t) => t.split(','));
    return { node: target.write(ctx, parsed.id, combine(current, normalizeTags(given))), userErrors: [] };
  });
}

/** tagsAdd: merges tags (comma-separated entries are split, as Shopify does). */
export const tagsAdd = changeTags('tagsAdd', (current, given) => [...current, ...given]);

/** tagsRemove: removes tags, case-insensitively. */
export const tagsRemove = changeTags('tagsRemove', (current, given) => {
  const drop = new Set(given.map((t) => t.toLowerCase()));
  return current.filter((t) => !drop.has(t.toLowerCase()));
});
