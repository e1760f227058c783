import { describe, expect, it } from 'vitest';
import { chooseMode } from './mode.ts';
import {
  budgetNow,
  childFirstFor,
  connectionCost,
  firstAffordable,
  firstWithin,
  MAX_QUERY_COST,
  pacingWaitMs,
  pageCost,
  pagedImportPoints,
  pagedLowerBoundSeconds,
  pagePlan,
  minFirst,
} from './page-size.ts';

describe('page sizes from the cost formula', () => {
  it('prices a connection at 2 plus first × one item', () => {
    expect(connectionCost(250, 0)).toBe(2);
    expect(connectionCost(250, 1)).toBe(252); // productVariants(first: 250) { nodes { scalars } }
    expect(connectionCost(50, 1 + connectionCost(20, 3))).toBe(2 + 50 * 63);
  });

  it.each([
    // resource, children asked per record, records per page, requested cost
    ['products', 6, 47, 2 + 47 * (1 + 2 + 3 * 6)],
    ['products', 4, 66, 2 + 66 * (1 + 2 + 3 * 4)],
    ['products', 100, 3, 2 + 3 * (1 + 2 + 300)],
    ['customers', 0, 249, 2 + 249 * 4],
    ['orders', 5, 32, 2 + 32 * (9 + 2 + 4 * 5)],
    ['inventory', 0, 250, 2 + (1 + 2 + 250 * 3)],
  ] as const)('%s with %i children: %i per page, %i points', (resource, child, first, cost) => {
    const plan = pagePlan(resource, child);
    expect(plan).toMatchObject({ first, requestedCost: cost });
    expect(plan.requestedCost).toBeLessThanOrEqual(MAX_QUERY_COST);
    expect(pageCost(resource, plan.first, plan.childFirst)).toBe(plan.requestedCost);
  });

  it('never asks for more than 1000 points or 250 records, whatever the children', () => {
    for (const resource of ['products', 'customers', 'orders', 'inventory'] as const)
      for (let child = 1; child <= 100; child += 1) {
        const plan = pagePlan(resource, child);
        expect(plan.requestedCost).toBeLessThanOrEqual(MAX_QUERY_COST);
        expect(plan.first).toBeLessThanOrEqual(250);
        // one record more would not fit (or the page is at Shopify's 250)
        const bigger = pageCost(resource, plan.first + 1, plan.childFirst);
        expect(plan.first === 250 || bigger > MAX_QUERY_COST).toBe(true);
      }
  });

  it('sizes follow-up queries for the children past a page: 250 variants, 249 line items', () => {
    expect(pagePlan('products', 6).followUpFirst).toBe(250); // 1 + 2 + 250 × 3 = 753
    expect(pagePlan('orders', 5).followUpFirst).toBe(249); // 1 + 2 + 249 × 4 = 999
  });

  it('shrinks pages to a smaller budget, one record at least', () => {
    expect(pagePlan('customers', 0, 60)).toMatchObject({ first: 14, requestedCost: 58 });
    expect(pagePlan('products', 6, 60)).toMatchObject({ first: 2, requestedCost: 44 });
    expect(pagePlan('products', 40, 60).first).toBe(1);
    expect(firstWithin(1, 3)).toBe(0);
  });

  it('asks twice the average number of children, between 4 and 100', () => {
    expect(childFirstFor(3, 6)).toBe(6);
    expect(childFirstFor(1, 6)).toBe(4);
    expect(childFirstFor(2.2, 6)).toBe(5);
    expect(childFirstFor(400, 6)).toBe(100);
    expect(childFirstFor(null, 6)).toBe(6);
    expect(childFirstFor(0, 6)).toBe(6);
  });
});

describe('pacing', () => {
  it('shrinks a page to what the bucket holds, down to a quarter of the full page', () => {
    const plan = pagePlan('products', 6); // 47 products, 989 points
    expect(firstAffordable('products', plan, 2000)).toBe(47);
    expect(firstAffordable('products', plan, 500)).toBe(23); // 2 + 23 × 21 = 485
    expect(firstAffordable('products', plan, 1)).toBe(0);
    expect(firstAffordable('products', plan, 500, 2)).toBe(11); // Shopify prices it twice the formula
    const levels = pagePlan('inventory', 0);
    expect(pageCost('inventory', firstAffordable('inventory', levels, 300), 0)).toBeLessThanOrEqual(300);
    expect(minFirst(plan)).toBe(12);
    expect(minFirst({ first: 1 })).toBe(1);
  });

  const status = { maximumAvailable: 2000, restoreRate: 100 };
  it('waits (requested − available) ÷ restoreRate before a page the bucket cannot hold', () => {
    expect(pacingWaitMs(989, { ...status, currentlyAvailable: 389 })).toBe(6000);
    expect(pacingWaitMs(989, { ...status, currentlyAvailable: 988 })).toBe(10);
    expect(pacingWaitMs(989, { ...status, currentlyAvailable: 989 })).toBe(0);
    expect(pacingWaitMs(989, undefined)).toBe(0);
  });
});

describe('the bucket between steps', () => {
  const seen = {
    maximumAvailable: 2000,
    currentlyAvailable: 300,
    restoreRate: 100,
    observedAt: '2026-05-01T00:00:00.000Z',
  };
  it('refills at the restore rate since it was seen, up to its size', () => {
    expect(budgetNow(seen, new Date('2026-05-01T00:00:02.500Z'))?.currentlyAvailable).toBe(550);
    expect(budgetNow(seen, new Date('2026-05-01T00:01:00.000Z'))?.currentlyAvailable).toBe(2000);
  });
  it('knows nothing when nothing was seen or the clock has not moved', () => {
    expect(budgetNow(null, new Date())).toBeUndefined();
    expect(budgetNow(seen, new Date('2026-05-01T00:00:00.000Z'))).toBeUndefined();
    expect(budgetNow(seen, new Date('2026-04-30T23:59:00.000Z'))).toBeUndefined();
  });
});

describe('choosing the mode', () => {
  const small = { products: 30, variants: 90, customers: 20, orders: 25, locations: 2 };
  const large = { products: 1000, variants: 3000, customers: 2000, orders: 5000, locations: 3 };
  const medium = { products: 300, variants: 900, customers: 500, orders: 1000, locations: 2 };
  const standard = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 };

  it('estimates the points a paged import spends and the least time it takes', () => {
    const points = pagedImportPoints(small);
    // products 30 × 3 + 90 × 3, customers 20 × 4, orders 25 × 19, levels 180 × 3 + 2 × 5, page overheads
    expect(points).toBe(360 + 80 + 475 + 550 + 2 + 2 + 2);
    expect(pagedLowerBoundSeconds(points, standard)).toBe(0);
    expect(pagedLowerBoundSeconds(4000, standard)).toBe(20);
  });

  it.each([
    ['auto', small, standard, 'paged'],
    ['auto', large, standard, 'bulk'],
    ['auto', medium, standard, 'bulk'],
    ['auto', medium, { maximumAvailable: 40000, currentlyAvailable: 40000, restoreRate: 2000 }, 'paged'],
    ['auto', large, { maximumAvailable: 40000, currentlyAvailable: 40000, restoreRate: 2000 }, 'bulk'],
    ['auto', undefined, standard, 'bulk'],
    ['auto', small, undefined, 'bulk'],
    ['bulk', small, standard, 'bulk'],
    ['paged', large, standard, 'paged'],
  ] as const)('%s, store %o, budget %o → %s', (setting, counts, budget, mode) => {
    expect(chooseMode(setting, counts, budget, 30).mode).toBe(mode);
  });
});
