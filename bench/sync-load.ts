// Small helpers of bench:sync: percentiles, open-loop and pooled drivers, both sides' product lists.
import type { Stack } from './sync-stack.ts';

export interface EmuProduct {
  id: number;
  gid: string;
  title: string;
  variants: { id: number; sku: string | null; price: string }[];
}

export interface ApiVariant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compare_at_price: string | null;
  option_values: { name: string; value: string }[];
}

export interface ApiProduct {
  id: string;
  title: string;
  variants: ApiVariant[];
}

export interface EmuCall {
  seq: number;
  at: string;
  operationType: string | null;
  rootFields: string[];
  variables: Record<string, unknown> | null;
  requestedCost: number | null;
  actualCost: number | null;
  throttled: boolean;
  status: number;
  durationMs: number;
}

/** A local product paired with its Shopify twin (by the first variant's SKU). */
export interface Pair {
  local: ApiProduct;
  remote: EmuProduct;
  sku: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pct(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Starts `run(i)` for i < total at `rate` per second whatever the answers' speed; waits for all. */
export async function openLoop(
  total: number,
  rate: number,
  run: (i: number) => Promise<void>,
): Promise<{ seconds: number; errors: number }> {
  let errors = 0;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(run(i).catch(() => void (errors += 1)));
  }
  await Promise.all(inflight);
  return { seconds: (performance.now() - t0) / 1000, errors };
}

/** Runs `run(i)` for i < total with at most `concurrency` at once. */
export async function pooled(
  total: number,
  concurrency: number,
  run: (i: number) => Promise<void>,
): Promise<{ errors: number }> {
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await run(i).catch(() => void (errors += 1));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { errors };
}

export async function emuProducts(s: Stack): Promise<EmuProduct[]> {
  const out: EmuProduct[] = [];
  for (let after: number | undefined; ;) {
    const q = after === undefined ? '' : `&after=${after}`;
    const page = await s.control<{ products: EmuProduct[] }>(
      'GET',
      `/shops/${s.shop}/products?limit=1000${q}`,
    );
    out.push(...page.products);
    if (page.products.length < 1000) return out;
    after = page.products.at(-1)?.id;
  }
}

export async function localProducts(s: Stack): Promise<ApiProduct[]> {
  const out: ApiProduct[] = [];
  for (let cursor: string | null = null; ;) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await s.api<{ items: ApiProduct[]; next_cursor: string | null }>(
      'GET',
      `/api/products?limit=250${q}`,
    );
    if (res.status !== 200) throw new Error(`GET /api/products → ${res.status}`);
    out.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) return out;
  }
}

export async function pairs(s: Stack): Promise<Pair[]> {
  const remote = new Map<string, EmuProduct>();
  for (const p of await emuProducts(s)) {
    const sku = p.variants[0]?.sku;
    if (sku) remote.set(sku, p);
  }
  const out: Pair[] = [];
  for (const local of await localProducts(s)) {
    const sku = local.variants.find((v) => v.sku && remote.has(v.sku))?.sku;
    if (sku) out.push({ local, remote: remote.get(sku) as EmuProduct, sku });
  }
  return out;
}

/** The PATCH body that sets the price of the variant with `sku` (all variants are sent, as the API wants). */
export function priceEdit(local: ApiProduct, sku: string, price: string): Record<string, unknown> {
  return {
    variants: local.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      barcode: v.barcode,
      price: v.sku === sku ? price : v.price,
      compare_at_price: v.compare_at_price,
      option_values: v.option_values,
    })),
  };
}

export const remotePrice = (p: EmuProduct, sku: string): string | undefined =>
  p.variants.find((v) => v.sku === sku)?.price;

export async function calls(s: Stack, since: number): Promise<EmuCall[]> {
  return (await s.control<{ calls: EmuCall[] }>('GET', `/calls?shop=${s.shop}&since=${since}`)).calls;
}

/** The latest call after `since` (a sequence number already seen), or undefined when none came. */
export async function lastCall(s: Stack, since: number): Promise<EmuCall | undefined> {
  return (await calls(s, since)).at(-1);
}

/** Same money on both sides ("12.3" vs "12.30"). */
export const samePrice = (a: string | undefined, b: string): boolean =>
  a !== undefined && Number(a) === Number(b);
