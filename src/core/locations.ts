import { recordChanges } from '../db/changes.ts';
import type { Db } from '../db/db.ts';
import { getLocation, insertLocation, listLocations, updateLocationRow } from '../db/locations.ts';
import { rethrowConstraint } from './unique.ts';
import { isUuid } from '../domain/customer-input.ts';
import type { Location } from '../domain/entities.ts';
import { decideLocation, type LocationInput } from '../domain/location-input.ts';
import { validationFailed } from './customers.ts';
import { notFound } from './errors.ts';
import { commitWrite, type WriteContext } from './write-context.ts';

/** Duplicate names in a tenant are refused with conflict `duplicate_location_name`. */
export async function createLocation(db: Db, ctx: WriteContext, input: LocationInput): Promise<Location> {
  const decision = decideLocation(input);
  if (!decision.ok) throw validationFailed(decision.problems);
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const l = await insertLocation(tx, ctx.tenantId, decision.draft, now);
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'location', entityId: l.id, version: l.version, op: 'create' },
    ]);
    return l;
  }).catch(rethrowConstraint);
}

export async function updateLocation(
  db: Db,
  ctx: WriteContext,
  id: string,
  input: LocationInput,
): Promise<Location> {
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const current = isUuid(id) ? await getLocation(tx, ctx.tenantId, id, true) : undefined;
    if (!current) throw notFound('location', id);
    const decision = decideLocation(input, current);
    if (!decision.ok) throw validationFailed(decision.problems);
    const l = await updateLocationRow(tx, ctx.tenantId, id, decision.draft, now);
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'location', entityId: id, version: l.version, op: 'update' },
    ]);
    return l;
  }).catch(rethrowConstraint);
}

export async function findLocation(db: Db, tenantId: string, id: string): Promise<Location> {
  const l = isUuid(id) ? await getLocation(db, tenantId, id) : undefined;
  if (!l) throw notFound('location', id);
  return l;
}

export function searchLocations(
  db: Db,
  tenantId: string,
  opts: { activeOnly?: boolean } = {},
): Promise<Location[]> {
  return listLocations(db, tenantId, opts.activeOnly ?? false);
}
