import { describe, expect, it } from 'vitest';
import type { Location } from './entities.ts';
import { decideLocation, type LocationInput } from './location-input.ts';

const current: Location = {
  id: 'l1',
  name: 'Shop',
  address: { city: 'Lyon' },
  active: true,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  version: 1,
};

describe('location input', () => {
  it('trims the name and address values, dropping blank ones, active by default', () => {
    expect(decideLocation({ name: ' Depot ', address: { city: ' Lille ', zip: ' ' } })).toEqual({
      ok: true,
      draft: { name: 'Depot', address: { city: 'Lille' }, active: true },
    });
  });

  it('keeps current values for absent fields', () => {
    expect(decideLocation({ active: false }, current)).toEqual({
      ok: true,
      draft: { name: 'Shop', address: { city: 'Lyon' }, active: false },
    });
  });

  it.each<[LocationInput, string[]]>([
    [{ name: ' ' }, ['name']],
    [{}, ['name']],
    [{ name: 'X', address: [] as never }, ['address']],
    [{ name: 'X', address: { city: 1 } as never }, ['address.city']],
    [{ name: 'X', active: 1 as never }, ['active']],
    [{ name: 'X', version: 9 } as never, ['version']],
  ])('refuses %j naming %j', (input, fields) => {
    const d = decideLocation(input);
    expect(d.ok ? [] : d.problems.map((p) => p.field)).toEqual(fields);
  });
});
