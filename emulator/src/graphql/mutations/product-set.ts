import {
  checkMetafieldWrites,
  LAST_VARIANT,
  setProduct,
  writeMetafields,
  type MetafieldWrite,
  type OptionInput,
  type ProductSetInput,
  type VariantInput,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { productView } from '../views/product.ts';
import {
  isNegative,
  mutation,
  numericId,
  rejectUnsupported,
  userError,
  type Input,
  type UserErrorData,
} from './common.ts';
import {
  customIdOf,
  metafieldInputs,
  ownerOfCustomId,
  productSetProblem,
  type CustomId,
} from './metafields.ts';
import {
  optionInputs,
  PRODUCT_FIELDS,
  productPatch,
  selectedOptions,
  stockInputs,
  variantFields,
} from './product-inputs.ts';

const SET_FIELDS = [
  ...PRODUCT_FIELDS,
  'id',
  'productOptions',
  'variants',
  'redirectNewHandle',
  'metafields',
] as const;
const VARIANT_SET_FIELDS = [
  'id',
  'sku',
  'price',
  'compareAtPrice',
  'barcode',
  'inventoryPolicy',
  'taxable',
  'inventoryItem',
  'inventoryQuantities',
  'optionValues',
  'position',
] as const;

type Fail = { errors: UserErrorData[] };

function result(ctx: ExecContext, productId: number | null, userErrors: UserErrorData[]) {
  const product = productId === null ? undefined : ctx.shop.products.get(productId);
  return { product: product ? productView(ctx, product) : null, productSetOperation: null, userErrors };
}

/**
 * Which product productSet targets: identifier.customId / identifier.id / identifier.handle / input.id,
 * or null to create.
 */
function targetId(
  ctx: ExecContext,
  args: Input,
  input: Input,
  customId: CustomId | null,
): number | null | Fail {
  const identifier = (args['identifier'] ?? null) as Input | null;
  if (customId) {
    if (input['id'] != null) {
      return {
        errors: [
          userError(
            ['input', 'id'],
            'The id field is not allowed if identifier is provided.',
            'ID_NOT_ALLOWED',
          ),
        ],
      };
    }
    return ownerOfCustomId(ctx, 'PRODUCT', customId) ?? null;
  }
  const raw = identifier?.['id'] ?? input['id'];
  if (raw != null) {
    const id = numericId(raw, 'Product');
    if (id === null || !ctx.shop.products.has(id))
      return { errors: [userError(['input', 'id'], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST')] };
    return id;
  }
  const handle = identifier?.['handle'];
  return typeof handle === 'string' ? (ctx.shop.handles.get(handle) ?? null) : null;
}

function variantInputs(
  ctx: ExecContext,
  productId: number | null,
  list: Input[],
  options: OptionInput[],
): VariantInput[] | Fail {
  const out: VariantInput[] = [];
  for (const [i, v] of list.entries()) {
    const path = ['input', 'variants', i];
    rejectUnsupported(v, VARIANT_SET_FIELDS, 'ProductVariantSetInput');
    const selected = selectedOptions(v['optionValues'], options, [...path, 'optionValues']);
    if (!Array.isArray(selected)) return { errors: [selected] };
    if (isNegative(v['price']))
      return {
        errors: [
          userError([...path, 'price'], 'Price must be greater than or equal to 0', 'INVALID_VARIANT'),
        ],
      };
    const variant: VariantInput = { ...variantFields(v), selectedOptions: selected };
    if (v['id'] != null) {
      const id = numericId(v['id'], 'ProductVariant');
      if (id === null || ctx.shop.variants.get(id)?.productId !== productId) {
        return {
          errors: [
            userError([...path, 'id'], 'Product variant does not exist', 'PRODUCT_VARIANT_DOES_NOT_EXIST'),
          ],
        };
      }
      variant.id = id;
    } else {
      const stock = stockInputs(v['inventoryQuantities']);
      if (stock) variant.stock = stock;
    }
    out.push(variant);
  }
  return out;
}

interface Writes {
  writes: MetafieldWrite[];
  /** The list given replaces the product's metafields (productSet's list fields). */
  replace: boolean;
}

const MISMATCH = 'The input argument `metafields` (if present) must contain the `customId` value.';

/**
 * The metafields productSet writes: `input.metafields` (replacing the list), which must then hold the
 * custom id; with a custom id and no list, a creation writes the custom id's metafield itself (as
 * customerSet's does; an update leaves the metafields as they are). Checked before anything changes.
 */
function metafieldWrites(
  ctx: ExecContext,
  id: number | null,
  input: Input,
  customId: CustomId | null,
): Writes | null | Fail {
  const path = ['input', 'metafields'];
  let out: Writes | null = null;
  if (Array.isArray(input['metafields'])) {
    const writes = metafieldInputs(ctx, 'PRODUCT', id, input['metafields'] as Input[], path);
    if (!Array.isArray(writes)) return { errors: [writes] };
    if (
      customId &&
      !writes.some(
        (w) => w.namespace === customId.namespace && w.key === customId.key && w.value === customId.value,
      )
    )
      return { errors: [userError(path, MISMATCH, 'METAFIELD_MISMATCH')] };
    out = { writes, replace: true };
  } else if (customId && id === null) {
    out = {
      writes: [{ namespace: customId.namespace, key: customId.key, value: customId.value }],
      replace: false,
    };
  }
  if (!out) return null;
  const problem = checkMetafieldWrites(
    ctx.shop,
    'PRODUCT',
    out.writes.map((w) => ({ ...w, ownerId: id })),
  );
  if (!problem) return out;
  return {
    errors: [
      out.replace
        ? productSetProblem(problem, path)
        : userError(['identifier', 'customId', 'value'], problem.message, 'INVALID_METAFIELD'),
    ],
  };
}

function isFail(value: unknown): value is Fail {
  return typeof value === 'object' && value !== null && 'errors' in value;
}

/** productSet: synchronous upsert; list fields given replace the lists. */
export const productSet = mutation('productSet', 'write_products', (args, ctx) => {
  if (args['synchronous'] === false) throw notImplemented('productSet with synchronous: false');
  const input = args['input'] as Input;
  rejectUnsupported(input, SET_FIELDS, 'ProductSetInput');
  const rawCustomId = (args['identifier'] as Input | null | undefined)?.['customId'];
  const customId = rawCustomId ? customIdOf(ctx, 'PRODUCT', rawCustomId) : null;
  const id = targetId(ctx, args, input, customId);
  if (isFail(id)) return result(ctx, null, id.errors);
  const existing = id === null ? undefined : ctx.shop.products.get(id);
  const options = optionInputs(input['productOptions']);
  if (input['variants'] && !options && !existing) {
    return result(ctx, null, [
      userError(
        ['input', 'productOptions'],
        'Product options input is required when updating variants',
        'PRODUCT_OPTIONS_INPUT_MISSING',
      ),
    ]);
  }
  if (!existing && (input['title'] == null || String(input['title']).trim() === '')) {
    return result(ctx, null, [userError(['input', 'title'], "Title can't be blank", 'INVALID_PRODUCT')]);
  }
  const effectiveOptions = options ?? existing?.options ?? [];
  const variants = Array.isArray(input['variants'])
    ? variantInputs(ctx, id, input['variants'] as Input[], effectiveOptions)
    : undefined;
  if (isFail(variants)) return result(ctx, null, variants.errors);
  // The list replaces the product's variants; an empty one would leave none, and Shopify keeps at least
  // one variant on every product (productVariantsBulkDelete: CANNOT_DELETE_LAST_VARIANT). Refused here
  // with nothing changed. (Shopify's exact answer to `variants: []` on an update is not documented:
  // the code is the enum's nearest, INVALID_VARIANT.)
  if (existing && variants?.length === 0)
    return result(ctx, null, [userError(['input', 'variants'], LAST_VARIANT, 'INVALID_VARIANT')]);
  const metafields = metafieldWrites(ctx, id, input, customId);
  if (isFail(metafields)) return result(ctx, null, metafields.errors);
  const setInput: ProductSetInput = { ...productPatch(input), ...(id === null ? {} : { id }) };
  if (options) setInput.options = options;
  if (variants) setInput.variants = variants;
  const byHandle = (args['identifier'] as Input | null | undefined)?.['handle'];
  if (id === null && typeof byHandle === 'string' && setInput.handle === undefined)
    setInput.handle = byHandle;
  const product = setProduct(ctx.store, ctx.shop, setInput, ctx.appKey);
  if (metafields)
    writeMetafields(ctx.store, ctx.shop, 'PRODUCT', product.id, metafields.writes, metafields.replace);
  return result(ctx, product.id, []);
});
