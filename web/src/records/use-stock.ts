import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api.ts';
import type { InventoryLevel, Location, Page, Product } from '../types.ts';
import { stockKey } from './stock-model.ts';

export interface Stock {
  locations: Location[];
  levels: Map<string, InventoryLevel>;
}

/** The tenant's active locations and the product's stock levels (one inventory query per variant). */
export function useStock(product: Product | null): {
  stock: Stock | null;
  error: unknown;
  reload: () => void;
} {
  const [stock, setStock] = useState<Stock | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const variantIds = product?.variants.map((v) => v.id).join(',') ?? '';
  const load = useCallback(() => {
    if (!variantIds) return;
    const mine = ++generation.current;
    const ids = variantIds.split(',');
    Promise.all([
      api<{ items: Location[] }>('GET', '/api/locations?active_only=true'),
      ...ids.map((id) =>
        api<Page<InventoryLevel>>('GET', `/api/inventory${query({ variant_id: id, limit: 250 })}`),
      ),
    ]).then(
      ([locations, ...pages]) => {
        if (mine !== generation.current) return;
        const levels = new Map<string, InventoryLevel>();
        for (const page of pages as Page<InventoryLevel>[])
          for (const l of page.items) levels.set(stockKey(l.variant_id, l.location_id), l);
        setStock({ locations: (locations as { items: Location[] }).items, levels });
        setError(null);
      },
      (e: unknown) => {
        if (mine === generation.current) setError(e);
      },
    );
  }, [variantIds]);
  useEffect(load, [load]);
  return { stock, error, reload: load };
}
