import type { AddressInput, CustomerInput } from './customers.ts';
import {
  ADJECTIVES,
  COUNTRIES,
  FIRST_NAMES,
  LAST_NAMES,
  NOUNS,
  OPTION_SETS,
  PRODUCT_TYPES,
  STREETS,
  TAGS,
  VENDORS,
} from './generate-words.ts';
import type { ProductInput, VariantInput } from './product-inputs.ts';
import type { Rng } from './prng.ts';

function tags(rng: Rng, max: number): string[] {
  const out = new Set<string>();
  const n = rng.int(0, max);
  for (let i = 0; i < n; i++) out.add(rng.pick(TAGS));
  return [...out];
}

function descriptionHtml(rng: Rng, title: string): string {
  const extra = rng.chance(0.3) ? '<ul><li>Fair &amp; sustainable</li><li>Pflegeleicht</li></ul>' : '';
  return `<p>The <strong>${title}</strong> — crafted with care.</p>${extra}`;
}

/** Variants for a product: combinations of up to two option sets, `count` of them. */
function variantInputs(
  rng: Rng,
  n: number,
  count: number,
  locationIds: number[],
): { options: ProductInput['options']; variants: VariantInput[] } {
  const base = rng.int(5, 120);
  const stock = () => locationIds.map((locationId) => ({ locationId, available: rng.int(0, 100) }));
  const price = (i: number) => (base + i * rng.int(0, 3) + rng.pick([0, 0.5, 0.99, 0.95])).toFixed(2);
  if (count <= 1) {
    return {
      options: undefined,
      variants: [{ sku: `SKU-${n}-1`, price: price(0), barcode: String(4000000000000 + n), stock: stock() }],
    };
  }
  const set = rng.pick(OPTION_SETS);
  const values = set.values.slice(0, Math.min(count, set.values.length));
  const variants: VariantInput[] = values.map((value, i) => ({
    sku: `SKU-${n}-${i + 1}`,
    price: price(i),
    compareAtPrice: rng.chance(0.2) ? (Number(price(i)) * 1.25).toFixed(2) : null,
    barcode: rng.chance(0.7) ? String(4000000000000 + n * 10 + i) : null,
    selectedOptions: [{ name: set.name, value }],
    inventoryPolicy: rng.chance(0.1) ? 'CONTINUE' : 'DENY',
    stock: stock(),
  }));
  return { options: [{ name: set.name, values: [...values] }], variants };
}

export function productInput(
  rng: Rng,
  n: number,
  variantsPerProduct: number,
  locationIds: number[],
): ProductInput {
  const title = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}${rng.chance(0.3) ? ` ${n}` : ''}`;
  const { options, variants } = variantInputs(rng, n, variantsPerProduct, locationIds);
  return {
    title,
    descriptionHtml: descriptionHtml(rng, title),
    vendor: rng.pick(VENDORS),
    productType: rng.pick(PRODUCT_TYPES),
    status: rng.chance(0.85) ? 'ACTIVE' : rng.chance(0.6) ? 'DRAFT' : 'ARCHIVED',
    tags: tags(rng, 3),
    ...(options ? { options } : {}),
    variants,
  };
}

export function addressInput(rng: Rng, firstName: string, lastName: string): AddressInput {
  const c = rng.pick(COUNTRIES);
  const [city, province, provinceCode] = rng.pick(c.cities);
  return {
    firstName,
    lastName,
    address1: `${rng.int(1, 250)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : null,
    city,
    province,
    provinceCode,
    country: c.country,
    countryCode: c.countryCode,
    zip: c.zip(),
    phone: null,
  };
}

export function customerInput(rng: Rng, n: number): CustomerInput {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const addresses = rng.chance(0.8) ? [addressInput(rng, firstName, lastName)] : [];
  if (rng.chance(0.15)) addresses.push(addressInput(rng, firstName, lastName));
  return {
    email: `customer${n}@example.${rng.pick(['com', 'de', 'fr', 'jp', 'co.uk'])}`,
    firstName,
    lastName,
    phone: rng.chance(0.5) ? `+1555${String(1000000 + n).slice(-7)}` : null,
    note: rng.chance(0.1) ? 'Prefers email — «VIP»' : null,
    tags: tags(rng, 2),
    addresses,
  };
}
