import type { Location } from '../domain/entities.ts';
import type { Queryable } from './db.ts';

interface LocationDbRow {
  id: string;
  name: string;
  address: Record<string, string>;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export type LocationFields = Pick<Location, 'name' | 'address' | 'active'>;

const COLUMNS = 'id, name, address, active, created_at, updated_at, version';

function toLocation(r: LocationDbRow): Location {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    active: r.active,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export async function getLocation(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<Location | undefined> {
  const { rows } = await q.query<LocationDbRow>(
    `select ${COLUMNS} from locations where tenant_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [tenantId, id],
  );
  return rows[0] && toLocation(rows[0]);
}

/** All of a tenant's locations by name (a store has a handful). */
export async function listLocations(q: Queryable, tenantId: string, activeOnly = false): Promise<Location[]> {
  const { rows } = await q.query<LocationDbRow>(
    `select ${COLUMNS} from locations where tenant_id = $1${activeOnly ? ' and active' : ''} order by name, id`,
    [tenantId],
  );
  return rows.map(toLocation);
}

export async function insertLocation(
  q: Queryable,
  tenantId: string,
  f: LocationFields,
  now: Date,
): Promise<Location> {
  const { rows } = await q.query<LocationDbRow>(
    `insert into locations (tenant_id, name, address, active, created_at, updated_at)
     values ($1, $2, $3::jsonb, $4, $5, $5) returning ${COLUMNS}`,
    [tenantId, f.name, JSON.stringify(f.address), f.active, now],
  );
  return toLocation(rows[0] as LocationDbRow);
}

export async function updateLocationRow(
  q: Queryable,
  tenantId: string,
  id: string,
  f: LocationFields,
  now: Date,
): Promise<Location> {
  const { rows } = await q.query<LocationDbRow>(
    `update locations set name = $3, address = $4::jsonb, active = $5, updated_at = $6, version = version + 1
     where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
    [tenantId, id, f.name, JSON.stringify(f.address), f.active, now],
  );
  return toLocation(rows[0] as LocationDbRow);
}
