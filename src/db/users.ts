import type { Queryable } from './db.ts';

export type UserRole = 'owner' | 'staff';

export interface User {
  id: string;
  tenantId: string;
  email: string;
  role: UserRole;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  role: UserRole;
  password_hash: string;
  created_at: Date;
}

const COLUMNS = 'id, tenant_id, email, role, password_hash, created_at';

const toUser = (r: UserRow): UserWithHash => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: new Date(r.created_at),
});

function withoutHash(u: UserWithHash): User {
  const { passwordHash: _hash, ...user } = u;
  return user;
}

export interface NewUser {
  tenantId: string;
  email: string;
  passwordHash: string;
  role: UserRole;
}

export async function insertUser(db: Queryable, u: NewUser, now: Date): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `insert into users (tenant_id, email, password_hash, role, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $5) returning ${COLUMNS}`,
    [u.tenantId, u.email, u.passwordHash, u.role, now],
  );
  return withoutHash(toUser(rows[0] as UserRow));
}

/** Emails are unique across tenants, compared case-insensitively (users_email_key on lower(email)). */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithHash | undefined> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from users where lower(email) = lower($1)`, [
    email,
  ]);
  return rows[0] && toUser(rows[0]);
}

export async function getUser(db: Queryable, tenantId: string, id: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from users where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0] && withoutHash(toUser(rows[0]));
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users');
  return rows[0]?.n ?? 0;
}

/** Any constant: concurrent first starts serialise on it, so only one creates the owner. */
const FIRST_OWNER_LOCK_KEY = 727_005;

/** Holds, until the transaction ends, the lock that serialises creating the first owner. */
export async function lockFirstOwner(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [FIRST_OWNER_LOCK_KEY]);
}
