import type { Queryable } from './db.ts';
import type { UserRole } from './users.ts';

export interface NewSession {
  idHash: string;
  tenantId: string;
  userId: string;
  csrfSecret: string;
  expiresAt: Date;
}

/** A live session joined with its user, as authentication needs it. */
export interface ActiveSession {
  idHash: string;
  tenantId: string;
  userId: string;
  role: UserRole;
  csrfSecret: string;
  expiresAt: Date;
}

interface ActiveRow {
  id_hash: string;
  tenant_id: string;
  user_id: string;
  role: UserRole;
  csrf_secret: string;
  expires_at: Date;
}

export async function insertSession(db: Queryable, s: NewSession, now: Date): Promise<void> {
  await db.query(
    `insert into sessions (id_hash, tenant_id, user_id, csrf_secret, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [s.idHash, s.tenantId, s.userId, s.csrfSecret, now, s.expiresAt],
  );
}

export async function findActiveSession(
  db: Queryable,
  idHash: string,
  now: Date,
): Promise<ActiveSession | undefined> {
  const { rows } = await db.query<ActiveRow>(
    `select s.id_hash, s.tenant_id, s.user_id, u.role, s.csrf_secret, s.expires_at
       from sessions s join users u on u.id = s.user_id and u.tenant_id = s.tenant_id
      where s.id_hash = $1 and s.expires_at > $2`,
    [idHash, now],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    idHash: r.id_hash,
    tenantId: r.tenant_id,
    userId: r.user_id,
    role: r.role,
    csrfSecret: r.csrf_secret,
    expiresAt: new Date(r.expires_at),
  };
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('delete from sessions where id_hash = $1', [idHash]);
}

// Login throttling: attempts per key (a hash of IP + email, of the email, or of the IP) within a
// fixed window. The column is called `failures`: attempts that did not end in a successful login.

export interface AttemptWindow {
  attempts: number;
  windowStart: Date;
}

/**
 * Counts one attempt atomically and returns the count including it, starting a new window when the
 * previous one closed (at or before `windowOpenSince`). Concurrent calls get distinct counts.
 */
export async function takeLoginAttempt(
  db: Queryable,
  keyHash: string,
  now: Date,
  windowOpenSince: Date,
): Promise<AttemptWindow> {
  const { rows } = await db.query<{ failures: number; window_start: Date }>(
    `insert into login_attempts as a (key_hash, window_start, failures) values ($1, $2, 1)
     on conflict (key_hash) do update set
       failures = case when a.window_start > $3 then a.failures + 1 else 1 end,
       window_start = case when a.window_start > $3 then a.window_start else $2 end
     returning failures, window_start`,
    [keyHash, now, windowOpenSince],
  );
  const r = rows[0] as { failures: number; window_start: Date };
  return { attempts: r.failures, windowStart: new Date(r.window_start) };
}

/** Gives one attempt back (a login that succeeded). */
export async function refundLoginAttempt(db: Queryable, keyHash: string): Promise<void> {
  await db.query('update login_attempts set failures = greatest(failures - 1, 0) where key_hash = $1', [
    keyHash,
  ]);
}

export async function clearLoginAttempts(db: Queryable, keyHash: string): Promise<void> {
  await db.query('delete from login_attempts where key_hash = $1', [keyHash]);
}

/** Housekeeping: forgets windows that closed before `before`. */
export async function pruneLoginAttempts(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('delete from login_attempts where window_start < $1', [before]);
  return rowCount;
}

/** Housekeeping: deletes the sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const { rowCount } = await db.query('delete from sessions where expires_at < $1', [now]);
  return rowCount;
}
