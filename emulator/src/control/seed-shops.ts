import {
  addLocation,
  createCustomer,
  createProduct,
  createShop,
  placeOrder,
  type Plan,
  type ShopData,
  type Store,
} from '../store/index.ts';
import { createSeededRandom, type Random } from './random.ts';

export interface SeedOptions {
  seed: number;
  plan: Plan;
  products: number;
  variantsPerProduct: number;
  customers: number;
  orders: number;
  locations: number;
}

const ADJECTIVES = ['Classic', 'Organic', 'Vintage', 'Urban', 'Alpine', 'Coastal', 'Everyday', 'Premium'];
const NOUNS = ['Tee', 'Hoodie', 'Mug', 'Backpack', 'Cap', 'Scarf', 'Notebook', 'Candle', 'Sneaker', 'Bottle'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL', '4XL'];
const FIRST = ['Ann', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo'];
const LAST = ['Lee', 'Martin', 'Okafor', 'Silva', 'Tanaka', 'Novak', 'Haddad', 'Berg'];

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r.next() * list.length)] as T;

/**
 * Creates a shop filled reproducibly from `seed`: the same options give the
 * same products, customers and orders (ids included).
 */
export function seedShop(store: Store, domain: string, idBase: number, o: SeedOptions): ShopData {
  const r = createSeededRandom(o.seed ^ hash(domain));
  const shop = createShop(store, { domain, plan: o.plan, idBase, locationNames: ['Shop location'] });
  for (let i = 1; i < o.locations; i++) addLocation(store, shop, `Warehouse ${i}`);
  const locations = [...shop.locations.keys()];
  const variantIds: number[] = [];
  for (let i = 0; i < o.products; i++) {
    const sizes = SIZES.slice(0, Math.max(1, Math.min(o.variantsPerProduct, SIZES.length)));
    const base = 5 + Math.floor(r.next() * 9500) / 100;
    const product = createProduct(store, shop, {
      title: `${pick(r, ADJECTIVES)} ${pick(r, NOUNS)} ${i + 1}`,
      vendor: 'Emulator Goods',
      productType: pick(r, NOUNS),
      tags: [pick(r, ['summer', 'winter', 'sale', 'new']), pick(r, ['cotton', 'wool', 'recycled'])],
      options: [{ name: 'Size', values: sizes }],
      variants: sizes.map((size, v) => ({
        price: (base + v).toFixed(2),
        sku: `SKU-${i + 1}-${size}`,
        selectedOptions: [{ name: 'Size', value: size }],
        stock: locations.map((locationId) => ({ locationId, available: Math.floor(r.next() * 50) })),
      })),
    });
    variantIds.push(...product.variantIds);
  }
  const customerIds: number[] = [];
  for (let i = 0; i < o.customers; i++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    customerIds.push(createCustomer(store, shop, { firstName: first, lastName: last, email: `${first}.${last}.${i + 1}@example.com`.toLowerCase() }).id);
  }
  for (let i = 0; i < o.orders && variantIds.length > 0; i++) {
    const lines = [{ variantId: pick(r, variantIds), quantity: 1 + Math.floor(r.next() * 2) }];
    const customerId = customerIds.length > 0 ? pick(r, customerIds) : undefined;
    placeOrder(store, shop, { lines, ...(customerId === undefined ? {} : { customerId }) });
  }
  return shop;
}

function hash(value: string): number {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return h >>> 0;
}
