import { describe, expect, it } from 'vitest';
import { CUSTOMER_MERGE_RULES, ORDER_MERGE_RULES } from './merge-rules.ts';
import { threeWayMerge, type MergeRules } from './merge.ts';
import {
  customerSnapshot,
  orderSnapshot,
  type CustomerSyncFields,
  type Json,
  type OrderSyncFields,
} from './shopify-map/snapshot.ts';

const EARLY = new Date('2025-03-01T10:00:00Z');
const LATE = new Date('2025-03-01T11:00:00Z');

function merge(rules: MergeRules, base: Json | null, local: Json, remote: Json, localLater = false) {
  const [localUpdatedAt, remoteUpdatedAt] = localLater ? [LATE, EARLY] : [EARLY, LATE];
  return threeWayMerge(rules, { base, local, remote, localUpdatedAt, remoteUpdatedAt });
}

const CUSTOMER: CustomerSyncFields = {
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  phone: null,
  note: '',
  tags: ['vip'],
  addresses: [{ address1: '1 Main St', city: 'Oslo' }],
};
const customer = (patch: Partial<CustomerSyncFields> = {}): Json =>
  customerSnapshot({ ...CUSTOMER, ...patch });

describe('three-way merge of customers', () => {
  it('a phone set in Retailos and a name changed in Shopify both survive', () => {
    const m = merge(
      CUSTOMER_MERGE_RULES,
      customer(),
      customer({ phone: '+4712345678' }),
      customer({ lastName: 'Li' }),
    );
    expect(m.merged).toEqual(customer({ phone: '+4712345678', lastName: 'Li' }));
    expect(m.conflicts).toEqual([]);
  });
  it('addresses are one value: edits on both sides conflict and the later list wins whole', () => {
    const local = customer({ addresses: [{ address1: '2 Main St', city: 'Oslo' }] });
    const remote = customer({ addresses: [{ address1: '1 Main St', city: 'Bergen' }] });
    const m = merge(CUSTOMER_MERGE_RULES, customer(), local, remote);
    expect(m.merged).toEqual(remote);
    expect(m.conflicts).toEqual([
      expect.objectContaining({
        path: 'addresses',
        winner: 'remote',
        lost: [{ address1: '2 Main St', city: 'Oslo' }],
      }),
    ]);
  });
  it('tags merge as a set', () => {
    const m = merge(
      CUSTOMER_MERGE_RULES,
      customer(),
      customer({ tags: ['vip', 'b2b'] }),
      customer({ tags: [] }),
    );
    expect((m.merged as { tags: string[] }).tags).toEqual(['b2b']);
  });
});

const ORDER: OrderSyncFields = {
  name: '#1001',
  number: 1001,
  email: 'ann@example.com',
  phone: null,
  financialStatus: 'paid',
  fulfillmentStatus: 'unfulfilled',
  currency: 'EUR',
  subtotalPrice: '20.00',
  totalTax: '4.00',
  totalPrice: '24.00',
  note: '',
  tags: [],
  shippingAddress: { firstName: 'Ann', address1: '1 Quay St', city: 'Lyon', countryCode: 'FR' },
  processedAt: new Date('2025-03-01T09:00:00Z'),
  cancelledAt: null,
  closedAt: null,
  lineItems: [{ position: 1, sku: 'SKU-1', title: 'Linen shirt', quantity: 2, unitPrice: '10.00' }],
};
const order = (patch: Partial<OrderSyncFields> = {}): Json => orderSnapshot({ ...ORDER, ...patch });

describe('three-way merge of orders', () => {
  it('every customer and order snapshot field has a rule', () => {
    expect(Object.keys(ORDER_MERGE_RULES).sort()).toEqual(Object.keys(order() as object).sort());
    expect(Object.keys(CUSTOMER_MERGE_RULES).sort()).toEqual(Object.keys(customer() as object).sort());
  });
  it('Shopify-owned fields always take remote, even when Retailos changed them later, with no conflict', () => {
    const local = order({ totalPrice: '99.00', fulfillmentStatus: 'fulfilled', note: 'gift' });
    const remote = order({ totalPrice: '30.00', financialStatus: 'refunded' });
    const m = merge(ORDER_MERGE_RULES, order(), local, remote, true);
    expect(m.merged).toEqual(order({ totalPrice: '30.00', financialStatus: 'refunded', note: 'gift' }));
    expect(m).toMatchObject({ conflicts: [], toLocal: true, toRemote: true });
  });
  it('a Shopify-owned field changed only in Retailos is put back, and nothing is pushed', () => {
    const m = merge(ORDER_MERGE_RULES, order(), order({ currency: 'USD' }), order(), true);
    expect(m).toEqual({ merged: order(), conflicts: [], toLocal: true, toRemote: false });
  });
  it('email, phone and note merge as values; tags as a set', () => {
    const local = order({ email: 'new@example.com', tags: ['rush'] });
    const remote = order({ email: 'other@example.com', tags: ['wholesale'], phone: '+4700000000' });
    const m = merge(ORDER_MERGE_RULES, order(), local, remote, true);
    expect(m.merged).toEqual(
      order({ email: 'new@example.com', phone: '+4700000000', tags: ['rush', 'wholesale'] }),
    );
    expect(m.conflicts.map((c) => c.path)).toEqual(['email']);
  });
});
