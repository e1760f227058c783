import type { ProductStatus, SelectedOption } from './types.ts';

/** Stock to place on a new variant's inventory item at a location. */
export interface StockInput {
  locationId: number;
  available: number;
}

/** Fields of a variant a merchant (or the API) can set. */
export interface VariantInput {
  /** Present when updating an existing variant (productSet). */
  id?: number;
  price?: string;
  compareAtPrice?: string | null;
  sku?: string;
  barcode?: string | null;
  selectedOptions?: SelectedOption[];
  inventoryPolicy?: 'DENY' | 'CONTINUE';
  taxable?: boolean;
  tracked?: boolean;
  unitCost?: string | null;
  /** Only on create; default: stocked at the first location with 0 available. */
  stock?: StockInput[];
}

export interface OptionInput {
  name: string;
  values: string[];
}

export interface ProductInput {
  title: string;
  handle?: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: ProductStatus;
  tags?: string[];
  options?: OptionInput[];
  /** Default: one "Default Title" variant. */
  variants?: VariantInput[];
}

export type ProductPatch = Partial<Omit<ProductInput, 'variants' | 'options'>>;

/** Input of `setProduct`: the whole product; lists replace what is there. */
export interface ProductSetInput extends Partial<Omit<ProductInput, 'variants'>> {
  id?: number;
  variants?: VariantInput[];
}

/** `My Tee!` → `my-tee`; keeps letters of any script. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'product';
}

/** Normalises a decimal money input to two decimals ("5" → "5.00"). */
export function money(value: string | number): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`not a money amount: ${String(value)}`);
  return n.toFixed(2);
}
