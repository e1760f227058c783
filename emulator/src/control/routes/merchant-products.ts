import type { FastifyInstance } from 'fastify';
import {
  createProduct,
  createVariants,
  deleteProduct,
  deleteVariants,
  getProduct,
  getVariant,
  updateProduct,
  updateVariants,
  type ProductInput,
  type ProductPatch,
  type VariantInput,
} from '../../store/index.ts';
import type { Emulator } from '../emulator.ts';
import { page, productView, variantView } from '../views.ts';
import { ControlError } from './errors.ts';
import { idParam, limitOf, shopAction } from './helpers.ts';

const PRODUCT_FIELDS = [
  'title',
  'handle',
  'descriptionHtml',
  'vendor',
  'productType',
  'status',
  'tags',
] as const;

function productPatch(body: Record<string, unknown>): ProductPatch {
  const patch: Record<string, unknown> = {};
  for (const key of PRODUCT_FIELDS) if (body[key] !== undefined) patch[key] = body[key];
  return patch as ProductPatch;
}

/** Merchant edits of products and variants (as if made in the Shopify admin: no app key). */
export function registerMerchantProducts(app: FastifyInstance, emu: Emulator): void {
  const base = '/_emulator/shops/:shop';
  app.get(
    `${base}/products`,
    shopAction(emu, ({ shop, query }) => {
      const { limit, after } = limitOf(query);
      return { products: page(shop.products.values(), limit, after).map((p) => productView(shop, p)) };
    }),
  );
  app.get(
    `${base}/products/:id`,
    shopAction(emu, ({ shop, params }) => productView(shop, getProduct(shop, idParam(params)))),
  );
  app.post(
    `${base}/products`,
    shopAction(
      emu,
      ({ shop, body }) => {
        if (typeof body['title'] !== 'string' || body['title'].trim() === '')
          throw new ControlError(422, 'invalid_request', 'title is required');
        return productView(shop, createProduct(emu.store, shop, body as unknown as ProductInput));
      },
      201,
    ),
  );
  app.patch(
    `${base}/products/:id`,
    shopAction(emu, ({ shop, params, body }) =>
      productView(shop, updateProduct(emu.store, shop, idParam(params), productPatch(body))),
    ),
  );
  app.delete(
    `${base}/products/:id`,
    shopAction(emu, ({ shop, params }) => {
      deleteProduct(emu.store, shop, idParam(params));
      return { deleted: idParam(params) };
    }),
  );
  app.post(
    `${base}/products/:id/variants`,
    shopAction(
      emu,
      ({ shop, params, body }) => {
        const inputs = Array.isArray(body['variants'])
          ? (body['variants'] as VariantInput[])
          : [body as VariantInput];
        return {
          variants: createVariants(emu.store, shop, idParam(params), inputs).map((v) =>
            variantView(shop, v.id),
          ),
        };
      },
      201,
    ),
  );
  app.get(
    `${base}/variants/:id`,
    shopAction(emu, ({ shop, params }) => variantView(shop, getVariant(shop, idParam(params)).id)),
  );
  app.patch(
    `${base}/variants/:id`,
    shopAction(emu, ({ shop, params, body }) => {
      const variant = getVariant(shop, idParam(params));
      updateVariants(emu.store, shop, variant.productId, [{ ...(body as VariantInput), id: variant.id }]);
      return variantView(shop, variant.id);
    }),
  );
  app.delete(
    `${base}/variants/:id`,
    shopAction(emu, ({ shop, params }) => {
      const variant = getVariant(shop, idParam(params));
      deleteVariants(emu.store, shop, variant.productId, [variant.id]);
      return { deleted: variant.id };
    }),
  );
}
