import {
  createVariants,
  deleteVariants,
  updateVariants,
  type OptionInput,
  type ProductRecord,
  type VariantInput,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { productView, variantView } from '../views/product.ts';
import {
  isNegative,
  mutation,
  numericId,
  rejectUnsupported,
  userError,
  type Input,
  type UserErrorData,
} from './common.ts';
import { selectedOptions, stockInputs, VARIANT_FIELDS, variantFields } from './product-inputs.ts';

function payload(
  ctx: ExecContext,
  product: ProductRecord | null,
  variantIds: number[] | null,
  userErrors: UserErrorData[],
) {
  return {
    product: product ? productView(ctx, product) : null,
    productVariants:
      variantIds === null
        ? null
        : variantIds.flatMap((id) => {
            const v = ctx.shop.variants.get(id);
            return v ? [variantView(ctx, v)] : [];
          }),
    userErrors,
  };
}

function findProduct(ctx: ExecContext, raw: unknown): ProductRecord | undefined {
  const id = numericId(raw, 'Product');
  return id === null ? undefined : ctx.shop.products.get(id);
}

/** Adds option values a new variant uses (Shopify extends the option's value list). */
function extendOptions(product: ProductRecord, input: VariantInput): void {
  for (const s of input.selectedOptions ?? []) {
    const option = product.options.find((o) => o.name === s.name);
    if (option && !option.values.includes(s.value)) option.values.push(s.value);
  }
}

/**
 * The product's only variant when the strategy drops it: REMOVE_STANDALONE_VARIANT always,
 * DEFAULT when it is the "Default Title" variant, PRESERVE_STANDALONE_VARIANT never.
 */
function standaloneToRemove(ctx: ExecContext, product: ProductRecord, strategy: string): number | undefined {
  const only = product.variantIds.length === 1 ? product.variantIds[0] : undefined;
  if (only === undefined || strategy === 'PRESERVE_STANDALONE_VARIANT') return undefined;
  if (strategy === 'REMOVE_STANDALONE_VARIANT') return only;
  return ctx.shop.variants.get(only)?.title === 'Default Title' ? only : undefined;
}

function comboKey(options: { name: string; value: string }[]): string {
  return options
    .map((o) => `${o.name}=${o.value}`)
    .sort()
    .join('|');
}

export const productVariantsBulkCreate = mutation(
  'productVariantsBulkCreate',
  'write_products',
  (args, ctx) => {
    if (args['media']) throw notImplemented("Argument 'media' on Mutation.productVariantsBulkCreate");
    const product = findProduct(ctx, args['productId']);
    if (!product)
      return payload(ctx, null, null, [
        userError(['productId'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST'),
      ]);
    const list = args['variants'] as Input[];
    const options: OptionInput[] = product.options;
    const inputs: VariantInput[] = [];
    const standalone = standaloneToRemove(ctx, product, String(args['strategy'] ?? 'DEFAULT'));
    const kept = product.variantIds.filter((id) => id !== standalone);
    const existing = new Set(kept.map((id) => comboKey(ctx.shop.variants.get(id)?.selectedOptions ?? [])));
    for (const [i, v] of list.entries()) {
      rejectUnsupported(v, [...VARIANT_FIELDS, 'inventoryQuantities'], 'ProductVariantsBulkInput');
      const selected = selectedOptions(v['optionValues'], options, ['variants', i, 'optionValues']);
      if (!Array.isArray(selected)) return payload(ctx, product, null, [selected]);
      if (isNegative(v['price']))
        return payload(ctx, product, null, [
          userError(
            ['variants', i, 'price'],
            'Price must be greater than or equal to 0',
            'GREATER_THAN_OR_EQUAL_TO',
          ),
        ]);
      if (existing.has(comboKey(selected))) {
        return payload(ctx, product, null, [
          userError(
            ['variants', i],
            `The variant '${selected.map((s) => s.value).join(' / ')}' already exists.`,
            'VARIANT_ALREADY_EXISTS',
          ),
        ]);
      }
      existing.add(comboKey(selected));
      const stock = stockInputs(v['inventoryQuantities']);
      inputs.push({ ...variantFields(v), selectedOptions: selected, ...(stock ? { stock } : {}) });
    }
    inputs.forEach((input) => extendOptions(product, input));
    const created = createVariants(ctx.store, ctx.shop, product.id, inputs, ctx.appKey);
    if (standalone !== undefined) deleteVariants(ctx.store, ctx.shop, product.id, [standalone], ctx.appKey);
    return payload(
      ctx,
      product,
      created.map((v) => v.id),
      [],
    );
  },
);

function updateInputs(
  ctx: ExecContext,
  product: ProductRecord,
  list: Input[],
): { ok: (VariantInput & { id: number })[]; errors: UserErrorData[] } {
  const ok: (VariantInput & { id: number })[] = [];
  const errors: UserErrorData[] = [];
  for (const [i, v] of list.entries()) {
    if (v['quantityAdjustments'])
      throw notImplemented("Input field 'quantityAdjustments' of ProductVariantsBulkInput");
    if (v['inventoryQuantities']) {
      errors.push(
        userError(
          ['variants', i, 'inventoryQuantities'],
          'Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.',
          'NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE',
        ),
      );
      continue;
    }
    rejectUnsupported(v, VARIANT_FIELDS, 'ProductVariantsBulkInput');
    if (v['id'] == null) {
      errors.push(
        userError(
          ['variants', i, 'id'],
          'Product variant is missing ID attribute',
          'PRODUCT_VARIANT_ID_MISSING',
        ),
      );
      continue;
    }
    const id = numericId(v['id'], 'ProductVariant');
    const variant = id === null ? undefined : ctx.shop.variants.get(id);
    if (!variant || id === null) {
      errors.push(
        userError(['variants', i, 'id'], 'Product variant does not exist', 'PRODUCT_VARIANT_DOES_NOT_EXIST'),
      );
    } else if (variant.productId !== product.id) {
      errors.push(
        userError(
          ['variants', i, 'id'],
          'Product variant does not belong to this product',
          'MUST_BE_FOR_THIS_PRODUCT',
        ),
      );
    } else if (isNegative(v['price'])) {
      errors.push(
        userError(
          ['variants', i, 'price'],
          'Price must be greater than or equal to 0',
          'GREATER_THAN_OR_EQUAL_TO',
        ),
      );
    } else {
      const selected = v['optionValues']
        ? selectedOptions(v['optionValues'], product.options, ['variants', i, 'optionValues'])
        : undefined;
      if (selected && !Array.isArray(selected)) errors.push(selected);
      else ok.push({ ...variantFields(v), ...(selected ? { selectedOptions: selected } : {}), id });
    }
  }
  return { ok, errors };
}

export const productVariantsBulkUpdate = mutation(
  'productVariantsBulkUpdate',
  'write_products',
  (args, ctx) => {
    if (args['media']) throw notImplemented("Argument 'media' on Mutation.productVariantsBulkUpdate");
    const product = findProduct(ctx, args['productId']);
    if (!product)
      return payload(ctx, null, null, [
        userError(['productId'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST'),
      ]);
    const { ok, errors } = updateInputs(ctx, product, args['variants'] as Input[]);
    if (errors.length > 0 && args['allowPartialUpdates'] !== true) return payload(ctx, product, null, errors);
    const updated = ok.length > 0 ? updateVariants(ctx.store, ctx.shop, product.id, ok, ctx.appKey) : [];
    return payload(
      ctx,
      product,
      updated.map((v) => v.id),
      errors,
    );
  },
);

export const productVariantsBulkDelete = mutation(
  'productVariantsBulkDelete',
  'write_products',
  (args, ctx) => {
    const product = findProduct(ctx, args['productId']);
    if (!product)
      return {
        product: null,
        userErrors: [userError(['productId'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST')],
      };
    const ids = (args['variantsIds'] as string[]).map((raw) => numericId(raw, 'ProductVariant'));
    if (ids.some((id) => id === null || ctx.shop.variants.get(id)?.productId !== product.id)) {
      return {
        product: productView(ctx, product),
        userErrors: [
          userError(
            ['variantsIds'],
            'At least one variant does not belong to the product',
            'AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT',
          ),
        ],
      };
    }
    const unique = [...new Set(ids as number[])];
    if (unique.length >= product.variantIds.length) {
      return {
        product: productView(ctx, product),
        userErrors: [
          userError(
            ['variantsIds'],
            'Cannot delete the last variant of a product',
            'CANNOT_DELETE_LAST_VARIANT',
          ),
        ],
      };
    }
    deleteVariants(ctx.store, ctx.shop, product.id, unique, ctx.appKey);
    return { product: productView(ctx, product), userErrors: [] };
  },
);
