/**
 * Generator timing: `npx tsx emulator/bench/generate.ts [scale]`
 * scale 1 = 10k products × 3 variants, 20k customers, 50k orders, 3 locations (~110k records).
 */
import { createStore, generateShop, manualClock } from '../src/store/index.ts';

const scale = Number(process.argv[2] ?? '1');
const store = createStore(manualClock(new Date('2026-06-01T00:00:00Z')));
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const shop = generateShop(store, {
  seed: 42,
  domain: 'bench',
  products: Math.round(10_000 * scale),
  variantsPerProduct: 3,
  customers: Math.round(20_000 * scale),
  orders: Math.round(50_000 * scale),
  locations: 3,
});
const ms = performance.now() - started;
const records = shop.products.size + shop.variants.size + shop.customers.size + shop.orders.size;
const levels = [...shop.inventoryItems.values()].reduce((n, i) => n + i.levels.size, 0);
console.log(
  JSON.stringify({
    scale,
    ms: Math.round(ms),
    products: shop.products.size,
    variants: shop.variants.size,
    inventoryItems: shop.inventoryItems.size,
    inventoryLevels: levels,
    customers: shop.customers.size,
    orders: shop.orders.size,
    records,
    heapMB: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6),
  }),
);
