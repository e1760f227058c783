import type {
  OptionInput,
  ProductPatch,
  ProductStatus,
  SelectedOption,
  VariantInput,
} from '../../store/index.ts';
import { money } from '../../store/product-inputs.ts';
import { type Input, numericId, pick, userError, type UserErrorData } from './common.ts';

export const PRODUCT_FIELDS = [
  'title',
  'handle',
  'descriptionHtml',
  'vendor',
  'productType',
  'status',
  'tags',
] as const;

/** Scalar product fields of a ProductInput / ProductCreateInput / ProductUpdateInput / ProductSetInput. */
export function productPatch(input: Input): ProductPatch {
  const patch = pick<ProductPatch & { status: ProductStatus }>(input, PRODUCT_FIELDS) as ProductPatch;
  return patch;
}

/** OptionCreateInput / OptionSetInput → store options. */
export function optionInputs(list: unknown): OptionInput[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as Input[]).map((o) => ({
    name: String(o['name'] ?? ''),
    values: ((o['values'] as Input[] | undefined) ?? []).map((v) => String(v['name'] ?? '')),
  }));
}

/** VariantOptionValueInput list → selected options, or a userError path when an option is unknown. */
export function selectedOptions(
  values: unknown,
  options: OptionInput[],
  path: (string | number)[],
): SelectedOption[] | UserErrorData {
  const list = Array.isArray(values) ? (values as Input[]) : [];
  const out: SelectedOption[] = [];
  for (const [j, v] of list.entries()) {
    const name = typeof v['optionName'] === 'string' ? v['optionName'] : options[j]?.name;
    const option = options.find((o) => o.name === name);
    if (!option) return userError([...path, j], `Option does not exist`, 'OPTION_DOES_NOT_EXIST');
    out.push({ name: option.name, value: String(v['name'] ?? '') });
  }
  return out;
}

/** Fields shared by ProductVariantsBulkInput and ProductVariantSetInput. */
export function variantFields(input: Input): VariantInput {
  const out: VariantInput = {};
  if (input['price'] != null) out.price = money(String(input['price']));
  if (input['compareAtPrice'] !== undefined)
    out.compareAtPrice = input['compareAtPrice'] === null ? null : money(String(input['compareAtPrice']));
  if (input['barcode'] !== undefined) out.barcode = (input['barcode'] as string | null) ?? null;
  if (input['inventoryPolicy'] != null) out.inventoryPolicy = input['inventoryPolicy'] as 'DENY' | 'CONTINUE';
  if (input['taxable'] != null) out.taxable = input['taxable'] as boolean;
  if (typeof input['sku'] === 'string') out.sku = input['sku'];
  const item = input['inventoryItem'] as Input | null | undefined;
  if (item) {
    if (typeof item['sku'] === 'string') out.sku = item['sku'];
    if (typeof item['tracked'] === 'boolean') out.tracked = item['tracked'];
    if (item['cost'] !== undefined) out.unitCost = item['cost'] === null ? null : money(String(item['cost']));
  }
  return out;
}

export const VARIANT_FIELDS = [
  'id',
  'price',
  'compareAtPrice',
  'barcode',
  'inventoryPolicy',
  'taxable',
  'inventoryItem',
  'optionValues',
] as const;
export const INVENTORY_ITEM_FIELDS = ['sku', 'tracked', 'cost', 'requiresShipping'] as const;

/** Stock for a new variant from `[{locationId, availableQuantity}]` or productSet `[{locationId, name, quantity}]`. */
export function stockInputs(list: unknown): { locationId: number; available: number }[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as Input[]).flatMap((q) => {
    const locationId = numericId(q['locationId'], 'Location');
    const available = (q['availableQuantity'] ?? q['quantity']) as number;
    return locationId === null ? [] : [{ locationId, available }];
  });
}
