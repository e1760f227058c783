import { describe, expect, it } from 'vitest';
import { customerFromWebhook, mapCustomer } from './index.ts';

const address = (id: number, city: string) => ({
  id,
  customer_id: 3,
  first_name: 'Ann',
  last_name: 'Lee',
  company: null,
  address1: '1 Main St',
  address2: '',
  city,
  province: 'Ontario',
  province_code: 'ON',
  country: 'Canada',
  country_code: 'CA',
  zip: 'K2P 2L8',
  phone: '555-0100',
  default: id === 10,
});

const payload = (over: Record<string, unknown> = {}) => ({
  id: 3,
  admin_graphql_api_id: 'gid://shopify/Customer/3',
  email: 'Ann@Example.com',
  phone: '+15550100',
  first_name: 'Ann',
  last_name: 'Lee',
  note: 'VIP',
  tags: 'vip, wholesale',
  state: 'enabled',
  created_at: '2026-05-01T10:00:00-04:00',
  updated_at: '2026-05-02T05:15:03-04:00',
  addresses: [address(10, 'Ottawa'), address(11, 'Toronto')],
  default_address: address(10, 'Ottawa'),
  ...over,
});

function convert(body: unknown) {
  const r = customerFromWebhook(body);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('customerFromWebhook', () => {
  it('turns a customers/update payload into the GraphQL customer', () => {
    const w = convert(payload());
    expect(w).toMatchObject({ gid: 'gid://shopify/Customer/3', complete: true, missing: [] });
    expect(w.updatedAt).toEqual(new Date('2026-05-02T09:15:03Z'));
    expect(w.value).toEqual({
      id: 'gid://shopify/Customer/3',
      firstName: 'Ann',
      lastName: 'Lee',
      defaultEmailAddress: { emailAddress: 'Ann@Example.com' },
      defaultPhoneNumber: { phoneNumber: '+15550100' },
      note: 'VIP',
      tags: ['vip', 'wholesale'],
      addresses: [
        {
          firstName: 'Ann',
          lastName: 'Lee',
          company: null,
          address1: '1 Main St',
          address2: '',
          city: 'Ottawa',
          province: 'Ontario',
          provinceCode: 'ON',
          zip: 'K2P 2L8',
          country: 'Canada',
          countryCodeV2: 'CA',
          phone: '555-0100',
        },
        expect.objectContaining({ city: 'Toronto' }),
      ],
      createdAt: '2026-05-01T14:00:00Z',
      updatedAt: '2026-05-02T09:15:03Z',
    });
    const mapped = mapCustomer(w.value);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.value).toMatchObject({
      email: 'ann@example.com',
      phone: '+15550100',
      tags: ['vip', 'wholesale'],
    });
    expect(mapped.value.addresses[0]).toEqual({
      firstName: 'Ann',
      lastName: 'Lee',
      address1: '1 Main St',
      city: 'Ottawa',
      province: 'Ontario',
      zip: 'K2P 2L8',
      country: 'Canada',
      countryCode: 'CA',
      phone: '555-0100',
    });
  });

  it.each([
    ['no tags (the 2025-01+ payload)', { tags: undefined }, ['tags']],
    ['no addresses', { addresses: undefined }, ['addresses']],
    ['no email and no updated_at', { email: undefined, updated_at: undefined }, ['email', 'updated_at']],
  ])('is incomplete with %s', (_, over, missing) => {
    const w = convert(payload(over));
    expect(w.complete).toBe(false);
    expect(w.missing).toEqual(missing);
  });

  it('has no updatedAt when the payload has none', () => {
    expect(convert(payload({ updated_at: undefined })).updatedAt).toBeNull();
  });

  it.each([
    [
      'null email and phone',
      { email: null, phone: null },
      { defaultEmailAddress: null, defaultPhoneNumber: null },
    ],
    [
      'a default address missing from the list',
      { addresses: [address(11, 'Toronto')] },
      {
        addresses: [
          expect.objectContaining({ city: 'Ottawa' }),
          expect.objectContaining({ city: 'Toronto' }),
        ],
      },
    ],
    ['no default address', { default_address: null, addresses: [] }, { addresses: [] }],
    [
      'a placeholder default address (id 0, empty texts: a customer with none)',
      {
        addresses: [],
        default_address: { ...address(0, ''), customer_id: 0, first_name: '', address1: '', province: '' },
      },
      { addresses: [] },
    ],
    ['tags as an array', { tags: [' a ', ''] }, { tags: ['a'] }],
  ])('maps %s', (_, over, expected) => {
    expect(convert(payload(over)).value).toMatchObject(expected);
  });

  it.each([
    ['not an object', 42, 'the customer payload is not an object'],
    ['no id', payload({ id: undefined, admin_graphql_api_id: undefined }), 'the Customer has no id'],
    ['a bad created_at', payload({ created_at: '2026-13-45T00:00:00Z' }), 'created_at is not a timestamp'],
    ['an email that is not text', payload({ email: 5 }), 'email is not text'],
    ['addresses that are not a list', payload({ addresses: {} }), 'addresses is not a list'],
  ])('refuses %s', (_, body, reason) => {
    const r = customerFromWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
