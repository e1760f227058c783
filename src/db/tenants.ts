import type { Queryable } from './db.ts';

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
}

const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at) });

export async function insertTenant(db: Queryable, name: string, now: Date): Promise<Tenant> {
  const { rows } = await db.query<TenantRow>(
    'insert into tenants (name, created_at, updated_at) values ($1, $2, $2) returning id, name, created_at',
    [name, now],
  );
  return toTenant(rows[0] as TenantRow);
}

export async function getTenant(db: Queryable, id: string): Promise<Tenant | undefined> {
  const { rows } = await db.query<TenantRow>('select id, name, created_at from tenants where id = $1', [id]);
  return rows[0] && toTenant(rows[0]);
}
