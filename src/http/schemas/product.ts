import { z } from 'zod';
import { PRODUCT_STATUSES, type Product, type ProductStatus } from '../../domain/entities.ts';
import type { ProductInput } from '../../domain/product-input.ts';
import { versionField } from '../record-version.ts';
import { listQuery, price, shortText, tags, uuid } from './common.ts';

const optionValue = z.strictObject({ name: shortText.min(1), value: shortText.min(1) });
const status = z.enum(PRODUCT_STATUSES as [ProductStatus, ...ProductStatus[]]);

export const variantBody = z.strictObject({
  id: uuid.optional(),
  sku: shortText.nullable().optional(),
  barcode: shortText.nullable().optional(),
  price,
  compare_at_price: price.nullable().optional(),
  option_values: z.array(optionValue).max(3).optional(),
});

const productFields = {
  title: z.string().trim().min(1).max(255),
  handle: z
    .string()
    .max(255)
    .regex(
      /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u,
      'lower-case letters and digits joined by dashes',
    )
    .optional(),
  description_html: z.string().max(512_000).optional(),
  vendor: shortText.optional(),
  product_type: shortText.optional(),
  status: status.optional(),
  tags: tags.optional(),
  variants: z.array(variantBody).min(1).max(2048).optional(),
};

export const productCreateBody = z.strictObject(productFields);
export const productUpdateBody = z.strictObject({
  ...productFields,
  title: productFields.title.optional(),
  variants: productFields.variants.describe(
    'The complete, ordered variant list. A variant with an id updates that variant (fields left out keep ' +
      'their value); one without an id is added. Every current variant must be listed or named in ' +
      'remove_variant_ids (422 incomplete_variant_list otherwise). Two variants with the same option values ' +
      'are refused (422 duplicate_options).',
  ),
  remove_variant_ids: z
    .array(uuid)
    .max(2048)
    .optional()
    .describe("Variants to delete: ids of this product's variants that variants does not list."),
  version: versionField,
});
export const productListQuery = listQuery.extend({ sku: shortText.optional(), status: status.optional() });

export const variantJson = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  barcode: z.string().nullable(),
  price: z.string(),
  compare_at_price: z.string().nullable(),
  option_values: z.array(z.object({ name: z.string(), value: z.string() })),
  position: z.number(),
});

export const productJson = z.object({
  id: z.string(),
  title: z.string(),
  handle: z.string(),
  description_html: z.string(),
  vendor: z.string(),
  product_type: z.string(),
  status,
  tags: z.array(z.string()),
  variants: z.array(variantJson),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

type Body = z.infer<typeof productUpdateBody>;

export function productInputFromBody(b: Body): ProductInput {
  return {
    title: b.title,
    handle: b.handle,
    descriptionHtml: b.description_html,
    vendor: b.vendor,
    productType: b.product_type,
    status: b.status,
    tags: b.tags,
    removeVariantIds: b.remove_variant_ids,
    variants: b.variants?.map((v) => ({
      id: v.id,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compare_at_price,
      optionValues: v.option_values,
    })),
  };
}

export function productToJson(p: Product): z.infer<typeof productJson> {
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    description_html: p.descriptionHtml,
    vendor: p.vendor,
    product_type: p.productType,
    status: p.status,
    tags: p.tags,
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      option_values: v.optionValues,
      position: v.position,
    })),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    version: p.version,
  };
}
