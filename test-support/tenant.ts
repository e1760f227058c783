import type { Db } from '../src/db/db.ts';

export async function insertTenant(db: Db, name = 'Test tenant'): Promise<string> {
  const { rows } = await db.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [
    name,
  ]);
  return (rows[0] as { id: string }).id;
}
