import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES } from './country-codes.ts';
import type { Order } from './entities.ts';
import { threeWayMerge } from './merge.ts';
import { ORDER_MERGE_RULES } from './merge-rules.ts';
import { decideOrderUpdate } from './order-input.ts';
import { shippingAddressOf, shippingAddressProblems } from './shipping-address.ts';
import { mapShippingAddress } from './shopify-map/order.ts';
import { orderSnapshot, snapshotHash, type OrderSyncFields } from './shopify-map/snapshot.ts';

const FIELDS: Omit<OrderSyncFields, 'shippingAddress'> = {
  name: '#1001',
  number: 1001,
  email: 'ann@example.com',
  phone: null,
  financialStatus: 'paid',
  fulfillmentStatus: 'unfulfilled',
  currency: 'EUR',
  subtotalPrice: '30',
  totalTax: '3.0',
  totalPrice: '33.00',
  note: 'gift',
  tags: ['b', 'a'],
  processedAt: new Date('2026-05-01T10:00:00Z'),
  cancelledAt: null,
  closedAt: null,
  lineItems: [{ position: 1, sku: 'TEE-1', title: 'Tee', quantity: 2, unitPrice: '15' }],
};

const LYON = { firstName: 'Ann', address1: '1 Quai Rambaud', city: 'Lyon', zip: '69002', countryCode: 'FR' };

const order = (shippingAddress: Order['shippingAddress']): Order => ({
  ...FIELDS,
  tags: [...FIELDS.tags],
  lineItems: [],
  shippingAddress,
  id: '00000000-0000-4000-8000-000000000001',
  customerId: null,
  createdAt: new Date('2026-05-01T10:00:00Z'),
  updatedAt: new Date('2026-05-01T10:00:00Z'),
  version: 1,
});

describe('an order’s snapshot and its shipping address', () => {
  it('an order without an address hashes as it did before Retailos kept addresses (no key at all)', () => {
    const snap = orderSnapshot({ ...FIELDS, shippingAddress: null });
    expect(Object.keys(snap as object)).not.toContain('shippingAddress');
    // The hash the snapshot of this order had before the shipping address was added (commit 19ba591):
    // a sync base stored then still matches, so such orders do not look changed to the sync.
    expect(snapshotHash(snap)).toBe('5f0ac7dc9cd1fa2d3b74ec16935b161fed9afbbddaa9dc0671c3023e0857f90b');
  });

  it('an address is part of the snapshot, and any line of it changes the hash', () => {
    const without = snapshotHash(orderSnapshot({ ...FIELDS, shippingAddress: null }));
    const lyon = orderSnapshot({ ...FIELDS, shippingAddress: LYON });
    expect((lyon as { shippingAddress: unknown }).shippingAddress).toEqual(LYON);
    expect(snapshotHash(lyon)).not.toBe(without);
    const moved = orderSnapshot({ ...FIELDS, shippingAddress: { ...LYON, zip: '69003' } });
    expect(snapshotHash(moved)).not.toBe(snapshotHash(lyon));
  });

  it('an address edited in Retailos and a note edited in Shopify both survive the merge', () => {
    const base = orderSnapshot({ ...FIELDS, shippingAddress: LYON });
    const local = orderSnapshot({ ...FIELDS, shippingAddress: { ...LYON, city: 'Paris', zip: '75001' } });
    const remote = orderSnapshot({ ...FIELDS, note: 'leave at the door', shippingAddress: LYON });
    const m = threeWayMerge(ORDER_MERGE_RULES, {
      base,
      local,
      remote,
      localUpdatedAt: new Date('2026-05-02T00:00:00Z'),
      remoteUpdatedAt: new Date('2026-05-03T00:00:00Z'),
    });
    expect(m.conflicts).toEqual([]);
    expect(m.merged).toMatchObject({
      note: 'leave at the door',
      shippingAddress: { ...LYON, city: 'Paris', zip: '75001' },
    });
    expect([m.toLocal, m.toRemote]).toEqual([true, true]);
  });

  it('an order synced without an address takes the one Shopify holds, and pushes nothing for it', () => {
    const base = orderSnapshot({ ...FIELDS, shippingAddress: null });
    const remote = orderSnapshot({ ...FIELDS, shippingAddress: LYON });
    const m = threeWayMerge(ORDER_MERGE_RULES, {
      base,
      local: base,
      remote,
      localUpdatedAt: new Date('2026-05-02T00:00:00Z'),
      remoteUpdatedAt: new Date('2026-05-01T00:00:00Z'),
    });
    expect([m.toLocal, m.toRemote, m.conflicts]).toEqual([true, false, []]);
    expect(m.merged).toEqual(remote);
  });
});

describe('shippingAddressOf', () => {
  it('trims lines, leaves blank ones out, upper-cases the codes, and is null with no line left', () => {
    expect(
      shippingAddressOf({
        firstName: ' Ann ',
        lastName: '',
        company: null,
        address1: '1 Quai Rambaud',
        city: 'Lyon',
        provinceCode: 'ara',
        countryCode: ' fr ',
      }),
    ).toEqual({
      firstName: 'Ann',
      address1: '1 Quai Rambaud',
      city: 'Lyon',
      provinceCode: 'ARA',
      countryCode: 'FR',
    });
    expect(shippingAddressOf({ city: '  ', zip: null })).toBeNull();
    expect(shippingAddressOf(null)).toBeNull();
  });

  it('is idempotent, and keeps only the lines it knows', () => {
    const line = fc.option(fc.string({ maxLength: 6 }), { nil: null });
    const lines = fc.record(
      { firstName: line, city: line, countryCode: line, provinceCode: line, zip: line },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(lines, (l) => {
        const once = shippingAddressOf({ ...l, ...{ province: 'Ontario' } });
        expect(shippingAddressOf(once)).toEqual(once);
        expect(Object.keys(once ?? {})).not.toContain('province');
      }),
    );
  });

  it('refuses a country code Shopify does not know, naming the field', () => {
    expect(COUNTRY_CODES).toHaveLength(245);
    expect(shippingAddressProblems({ countryCode: 'FR' })).toEqual([]);
    expect(shippingAddressProblems({ city: 'Lyon' })).toEqual([]);
    expect(shippingAddressProblems({ countryCode: 'FRANCE' })).toEqual([
      {
        field: 'shippingAddress.countryCode',
        message: '"FRANCE" is not a country code; use two letters such as FR or US',
      },
    ]);
  });

  it('reads Shopify’s MailingAddress: codes, not names', () => {
    expect(
      mapShippingAddress({
        firstName: 'Ann',
        lastName: null,
        address1: '1 Main St',
        city: 'Ottawa',
        province: 'Ontario',
        provinceCode: 'ON',
        country: 'Canada',
        countryCodeV2: 'CA',
        zip: '',
      }),
    ).toEqual({
      firstName: 'Ann',
      address1: '1 Main St',
      city: 'Ottawa',
      provinceCode: 'ON',
      countryCode: 'CA',
    });
    expect(mapShippingAddress(null)).toBeNull();
    expect(mapShippingAddress(undefined)).toBeNull();
  });
});

describe('decideOrderUpdate and the shipping address', () => {
  it('sets a whole new address, normalised', () => {
    const d = decideOrderUpdate(
      { shippingAddress: { ...LYON, countryCode: 'fr', address2: ' ' } },
      order(null),
    );
    expect(d).toEqual({ ok: true, draft: expect.objectContaining({ shippingAddress: LYON }) });
  });

  it('keeps the address when the input leaves it out', () => {
    const d = decideOrderUpdate({ note: 'x' }, order(LYON));
    expect(d.ok && d.draft.shippingAddress).toEqual(LYON);
  });

  it('refuses to remove an address, and an unknown country, each with its field', () => {
    for (const removal of [null, {}, { city: '  ' }]) {
      expect(decideOrderUpdate({ shippingAddress: removal }, order(LYON))).toEqual({
        ok: false,
        problems: [
          { field: 'shippingAddress', message: 'a shipping address can be changed but not removed' },
        ],
      });
    }
    expect(decideOrderUpdate({ shippingAddress: null }, order(null)).ok).toBe(true);
    const bad = decideOrderUpdate({ shippingAddress: { ...LYON, countryCode: 'XX' } }, order(LYON));
    expect(bad.ok === false && bad.problems.map((p) => p.field)).toEqual(['shippingAddress.countryCode']);
  });
});
