import type { Location } from '../domain/entities.ts';
import type { UpsertedRow } from './customers.ts';
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

/** A location with a caller-chosen id (the sync resolves it from its id map) and Shopify's times. */
export type LocationBatchRow = LocationFields & { id: string; createdAt: Date; updatedAt: Date };

/** Set-based upsert of many locations in one statement; a row of another tenant is left alone (not returned). */
export async function upsertLocationBatch(
  tx: Queryable,
  tenantId: string,
  locations: readonly LocationBatchRow[],
): Promise<UpsertedRow[]> {
  const json = locations.map((l) => ({
    id: l.id,
    name: l.name,
    address: l.address,
    active: l.active,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString(),
  }));
  const { rows } = await tx.query<UpsertedRow>(
    `insert into locations (id, tenant_id, name, address, active, created_at, updated_at)
     select r.id, $1, r.name, r.address, r.active, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, address jsonb, active boolean, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, address = excluded.address, active = excluded.active,
       updated_at = excluded.updated_at, version = locations.version + 1
     where locations.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [tenantId, JSON.stringify(json)],
  );
  return rows;
}
