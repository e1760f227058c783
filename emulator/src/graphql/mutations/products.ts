import { createProduct, deleteProduct, gid, updateProduct, type ProductRecord } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { productView } from '../views/product.ts';
import { shopView } from '../views/shop.ts';
import {
  mutation,
  numericId,
  rejectUnsupported,
  userError,
  type Input,
  type UserErrorData,
} from './common.ts';
import { optionInputs, PRODUCT_FIELDS, productPatch } from './product-inputs.ts';

const CREATE_FIELDS = [...PRODUCT_FIELDS, 'productOptions'] as const;
const UPDATE_FIELDS = [...PRODUCT_FIELDS, 'id', 'redirectNewHandle'] as const;

function payload(ctx: ExecContext, product: ProductRecord | null, userErrors: UserErrorData[]) {
  return { product: product ? productView(ctx, product) : null, shop: () => shopView(ctx), userErrors };
}

function blankTitle(title: unknown): boolean {
  return typeof title === 'string' && title.trim() === '';
}

export const productCreate = mutation('productCreate', 'write_products', (args, ctx) => {
  if (args['media']) throw notImplemented("Argument 'media' on Mutation.productCreate");
  const input = (args['product'] ?? args['input']) as Input | undefined;
  if (!input) return payload(ctx, null, [userError(null, 'Product input is required')]);
  rejectUnsupported(input, CREATE_FIELDS, args['product'] ? 'ProductCreateInput' : 'ProductInput');
  if (input['title'] == null || blankTitle(input['title']))
    return payload(ctx, null, [userError(['title'], "Title can't be blank")]);
  const options = optionInputs(input['productOptions']);
  const first = options?.map((o) => ({ name: o.name, value: o.values[0] ?? '' }));
  const product = createProduct(
    ctx.store,
    ctx.shop,
    {
      ...productPatch(input),
      title: String(input['title']),
      ...(options ? { options, variants: [{ selectedOptions: first ?? [] }] } : {}),
    },
    ctx.appKey,
  );
  return payload(ctx, product, []);
});

export const productUpdate = mutation('productUpdate', 'write_products', (args, ctx) => {
  if (args['media']) throw notImplemented("Argument 'media' on Mutation.productUpdate");
  if (args['identifier']) throw notImplemented("Argument 'identifier' on Mutation.productUpdate");
  const input = (args['product'] ?? args['input']) as Input | undefined;
  if (!input) return payload(ctx, null, [userError(null, 'Product input is required')]);
  rejectUnsupported(input, UPDATE_FIELDS, args['product'] ? 'ProductUpdateInput' : 'ProductInput');
  const id = numericId(input['id'], 'Product');
  if (id === null || !ctx.shop.products.has(id))
    return payload(ctx, null, [userError(['id'], 'Product does not exist')]);
  if (blankTitle(input['title'])) return payload(ctx, null, [userError(['title'], "Title can't be blank")]);
  return payload(ctx, updateProduct(ctx.store, ctx.shop, id, productPatch(input), ctx.appKey), []);
});

export const productDelete = mutation('productDelete', 'write_products', (args, ctx) => {
  if (args['synchronous'] === false) throw notImplemented('productDelete with synchronous: false');
  const id = numericId((args['input'] as Input)['id'], 'Product');
  const result = { productDeleteOperation: null, shop: () => shopView(ctx) };
  if (id === null || !ctx.shop.products.has(id)) {
    return { ...result, deletedProductId: null, userErrors: [userError(['id'], 'Product does not exist')] };
  }
  deleteProduct(ctx.store, ctx.shop, id, ctx.appKey);
  return { ...result, deletedProductId: gid('Product', id), userErrors: [] };
});
