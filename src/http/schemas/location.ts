import { z } from 'zod';
import type { Location } from '../../domain/entities.ts';
import type { LocationInput } from '../../domain/location-input.ts';
import { shortText } from './common.ts';

const locationFields = {
  name: z.string().trim().min(1).max(255),
  /** Free-form address lines, e.g. { "city": "Lyon", "country_code": "FR" }. */
  address: z.record(z.string().min(1).max(64), shortText).optional(),
  active: z.boolean().optional(),
};

export const locationCreateBody = z.strictObject(locationFields);
export const locationUpdateBody = z.strictObject({ ...locationFields, name: locationFields.name.optional() });
export const locationListQuery = z.strictObject({ active_only: z.enum(['true', 'false']).optional() });

export const locationJson = z.object({
  id: z.string(),
  name: z.string(),
  address: z.record(z.string(), z.string()),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

export function locationInputFromBody(b: z.infer<typeof locationUpdateBody>): LocationInput {
  return { name: b.name, address: b.address, active: b.active };
}

export function locationToJson(l: Location): z.infer<typeof locationJson> {
  return {
    id: l.id,
    name: l.name,
    address: l.address,
    active: l.active,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString(),
    version: l.version,
  };
}
