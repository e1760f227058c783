import { describe, expect, it } from 'vitest';
import { decideCustomer, draftCustomer, unwritableFields, type CustomerInput } from './customer-input.ts';
import type { Customer } from './entities.ts';

const current: Customer = {
  id: 'c1',
  email: 'old@example.com',
  firstName: 'Old',
  lastName: 'Name',
  phone: '+1 555',
  note: 'n',
  tags: ['a'],
  addresses: [{ city: 'Paris' }],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  version: 3,
};

describe('customer input', () => {
  it('normalises email to lower case and blanks to null', () => {
    expect(draftCustomer({ email: ' A@B.Co ', phone: '  ' })).toMatchObject({
      email: 'a@b.co',
      phone: null,
      tags: [],
      addresses: [],
    });
  });

  it('keeps current values for absent fields and clears them on explicit null', () => {
    expect(draftCustomer({ note: 'new' }, current)).toMatchObject({
      email: 'old@example.com',
      phone: '+1 555',
      note: 'new',
      tags: ['a'],
    });
    expect(draftCustomer({ email: null, phone: null }, current)).toMatchObject({
      email: null,
      phone: null,
      firstName: 'Old',
    });
  });

  it.each<[CustomerInput, string[]]>([
    [{ email: 'a@b.co' }, []],
    [{ phone: '+1' }, []],
    [{ lastName: 'Solo' }, []],
    [{ email: 'a@b' }, ['email']],
    [{ note: 'nobody' }, ['email']],
    [{ firstName: 'X', addresses: [{ city: 'Rome' }, { moon: 'Io' } as never] }, ['addresses[1].moon']],
    [{ firstName: 'X', addresses: 'Rome' as never }, ['addresses']],
    [{ firstName: 'X', id: 'forged' } as never, ['id']],
    [{ firstName: 'X', tags: 'vip' as never }, ['tags']],
  ])('%j has problems %j', (input, fields) => {
    const decision = decideCustomer(input);
    expect(decision.ok ? [] : decision.problems.map((p) => p.field)).toEqual(fields);
    expect(decision.ok).toBe(fields.length === 0);
  });

  it('applies an update onto the current customer', () => {
    const decision = decideCustomer({ firstName: 'New' }, current);
    expect(decision).toMatchObject({
      ok: true,
      draft: { firstName: 'New', lastName: 'Name', email: 'old@example.com' },
    });
  });

  it('lists keys outside the writable list', () => {
    expect(unwritableFields({ a: 1, b: 2, c: 3 }, ['b'])).toEqual(['a', 'c']);
  });
});
