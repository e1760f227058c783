import type { Json } from './shopify-map/snapshot.ts';
import type { SyncedKind } from './synced-kinds.ts';

/** How a record is named in Sync History, and the other words it is found by (SKUs, e-mail, phone). */
export interface HistoryLabel {
  name: string;
  words: string[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const field = (s: Json, key: string): unknown =>
  s !== null && typeof s === 'object' && !Array.isArray(s) ? s[key] : undefined;

/**
 * A record's label from its canonical snapshot: a product by its title (found by handle and SKUs), a
 * customer by e-mail or name (found by names and phone), an order by its name (found by e-mail and
 * phone), a location by its name. A stock level's snapshot holds only quantities: it has no name here.
 */
export function historyLabel(kind: SyncedKind, s: Json): HistoryLabel {
  const words = (...keys: string[]): string[] => keys.map((k) => text(field(s, k))).filter((w) => w !== '');
  switch (kind) {
    case 'product': {
      const variants = field(s, 'variants');
      const skus = Array.isArray(variants) ? variants.map((v) => text(field(v, 'sku'))) : [];
      return { name: text(field(s, 'title')), words: [...words('handle'), ...skus.filter((w) => w !== '')] };
    }
    case 'customer': {
      const fullName = words('firstName', 'lastName').join(' ');
      return {
        name: text(field(s, 'email')) || fullName || 'customer',
        words: words('firstName', 'lastName', 'phone'),
      };
    }
    case 'order':
      return { name: text(field(s, 'name')) || 'order', words: words('email', 'phone') };
    case 'location':
      return { name: text(field(s, 'name')), words: [] };
    case 'inventory_level':
      return { name: '', words: [] };
  }
}
