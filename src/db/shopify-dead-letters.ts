import type { Queryable } from './db.ts';

export type DeadLetterState = 'open' | 'replayed' | 'discarded';

/** A push or webhook that could not be applied, parked with its reason until replayed or discarded. */
export interface DeadLetterWrite {
  direction: 'inbound' | 'outbound';
  entity: string;
  localId: string | null;
  gid: string | null;
  displayName: string;
  job: string;
  payload: object;
  errorClass: string;
  error: string;
  attempts: number;
}

export interface DeadLetterRow {
  id: number;
  direction: 'inbound' | 'outbound';
  entity: string;
  localId: string | null;
  gid: string | null;
  displayName: string;
  job: string;
  payload: Record<string, unknown>;
  errorClass: string;
  firstError: string;
  lastError: string;
  attempts: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
  state: DeadLetterState;
  settledAt: Date | null;
  waitingChanges: number;
}

/** What identifies "the same entity" across letters: its local id, else its GID. */
export const entityKey = (entity: string, localId: string | null, gid: string | null): string =>
  `${entity}:${localId ?? gid ?? ''}`;

/**
 * A customer's letter is named as Shopify names the customer: first and last name, the e-mail only when
 * there is no name (the caller's name is kept for other entities, or when the customer is gone).
 */
const NAME_SQL = `coalesce(case when $3 = 'customer' then (select nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')
    from customers c where c.tenant_id = $1 and c.id = $4) end, $6)`;

/**
 * Opens a letter for the entity, or adds this failure to its open one, and logs the failure in the
 * letter's attempts (shopify_dead_letter_attempts). A failure of a replay adds to the
 * letter that was replayed: the entity's latest letter, if it was replayed and nothing of the entity has
 * synced in that direction since (no applied or merged Sync History entry), opens again with its
 * attempts counted on and this failure's message, instead of a new letter starting at one attempt.
 */
export async function recordDeadLetter(
  q: Queryable,
  tenantId: string,
  d: DeadLetterWrite,
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ id: string | number }>(
    `with replayed as (
       select l.id from shopify_dead_letters l
        where l.id = (select max(id) from shopify_dead_letters where tenant_id = $1 and entity_key = $13)
          and l.state = 'replayed'
          and not exists (select 1 from shopify_dead_letters o where o.tenant_id = $1 and o.entity_key = $13 and o.state = 'open')
          and not exists (select 1 from shopify_sync_history h
                where h.tenant_id = $1 and h.entity = l.entity and h.direction = l.direction
                  and h.outcome in ('applied', 'merged') and h.occurred_at >= l.settled_at
                  and (case when l.local_id is not null then h.local_id = l.local_id else h.gid = l.gid end))
     ), reopened as (
       update shopify_dead_letters l set state = 'open', settled_at = null, error_class = $9, last_error = $10,
         payload = $8, attempts = l.attempts + $11, last_failed_at = $12, display_name = ${NAME_SQL},
         gid = coalesce($5, l.gid)
        where l.id in (select id from replayed) and l.state = 'replayed'
       returning l.id, l.attempts
     ), inserted as (
       insert into shopify_dead_letters (tenant_id, direction, entity, local_id, gid, display_name, job, payload,
         error_class, first_error, last_error, attempts, first_failed_at, last_failed_at, entity_key)
       select $1::uuid, $2, $3, $4::uuid, $5, ${NAME_SQL}, $7, $8::jsonb, $9, $10, $10, $11::int, $12::timestamptz,
           $12, $13
        where not exists (select 1 from reopened)
       on conflict (tenant_id, entity_key) where state = 'open' do update set
         error_class = excluded.error_class, last_error = excluded.last_error, payload = excluded.payload,
         attempts = shopify_dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at,
         display_name = excluded.display_name, gid = coalesce(excluded.gid, shopify_dead_letters.gid)
       returning id, attempts
     ), letter as (select id, attempts from reopened union all select id, attempts from inserted),
     logged as (
       insert into shopify_dead_letter_attempts (tenant_id, letter_id, attempt, failed_at, error_class, error)
       select $1::uuid, id, attempts, $12::timestamptz, $9, $10 from letter
       returning letter_id
     )
     select letter_id as id from logged`,
    [
      tenantId,
      d.direction,
      d.entity,
      d.localId,
      d.gid,
      d.displayName,
      d.job,
      JSON.stringify(d.payload),
      d.errorClass,
      d.error,
      d.attempts,
      now,
      entityKey(d.entity, d.localId, d.gid),
    ],
  );
  return Number(rows[0]?.id);
}

/** The open letter of an entity, if any: its later pushes wait behind it. */
export async function openLetterFor(
  q: Queryable,
  tenantId: string,
  key: string,
): Promise<number | undefined> {
  const { rows } = await q.query<{ id: string | number }>(
    `select id from shopify_dead_letters where tenant_id = $1 and entity_key = $2 and state = 'open'`,
    [tenantId, key],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

export async function noteWaitingChange(q: Queryable, id: number): Promise<void> {
  await q.query('update shopify_dead_letters set waiting_changes = waiting_changes + 1 where id = $1', [id]);
}

interface DbLetter {
  id: string | number;
  direction: 'inbound' | 'outbound';
  entity: string;
  local_id: string | null;
  gid: string | null;
  display_name: string;
  job: string;
  payload: Record<string, unknown>;
  error_class: string;
  first_error: string;
  last_error: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  state: DeadLetterState;
  settled_at: Date | null;
  waiting_changes: number;
}

const toRow = (r: DbLetter): DeadLetterRow => ({
  id: Number(r.id),
  direction: r.direction,
  entity: r.entity,
  localId: r.local_id,
  gid: r.gid,
  displayName: r.display_name,
  job: r.job,
  payload: r.payload,
  errorClass: r.error_class,
  firstError: r.first_error,
  lastError: r.last_error,
  attempts: r.attempts,
  firstFailedAt: r.first_failed_at,
  lastFailedAt: r.last_failed_at,
  state: r.state,
  settledAt: r.settled_at,
  waitingChanges: r.waiting_changes,
});

export interface DeadLetterFilter {
  state?: DeadLetterState | undefined;
  entity?: string | undefined;
  direction?: 'inbound' | 'outbound' | undefined;
  errorClass?: string | undefined;
}

export async function listDeadLetters(
  q: Queryable,
  tenantId: string,
  f: DeadLetterFilter,
  limit: number,
  beforeId?: number,
): Promise<DeadLetterRow[]> {
  const { rows } = await q.query<DbLetter>(
    `select * from shopify_dead_letters where tenant_id = $1
       and ($2::text is null or state = $2) and ($3::text is null or entity = $3)
       and ($4::text is null or direction = $4) and ($5::text is null or error_class = $5)
       and ($6::bigint is null or id < $6)
     order by id desc limit $7`,
    [
      tenantId,
      f.state ?? null,
      f.entity ?? null,
      f.direction ?? null,
      f.errorClass ?? null,
      beforeId ?? null,
      limit,
    ],
  );
  return rows.map(toRow);
}

export async function getDeadLetter(
  q: Queryable,
  tenantId: string,
  id: number,
): Promise<DeadLetterRow | undefined> {
  const { rows } = await q.query<DbLetter>(
    'select * from shopify_dead_letters where tenant_id = $1 and id = $2',
    [tenantId, id],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Closes open letters (replayed or discarded); returns the ones it closed. */
export async function settleDeadLetters(
  q: Queryable,
  tenantId: string,
  ids: readonly number[] | 'all',
  state: 'replayed' | 'discarded',
  now: Date,
): Promise<DeadLetterRow[]> {
  const { rows } = await q.query<DbLetter>(
    `update shopify_dead_letters set state = $3, settled_at = $4
     where tenant_id = $1 and state = 'open' and ($2::bigint[] is null or id = any($2::bigint[]))
     returning *`,
    [tenantId, ids === 'all' ? null : ids, state, now],
  );
  return rows.map(toRow);
}

export async function countOpenDeadLetters(q: Queryable, tenantId: string): Promise<number> {
  const { rows } = await q.query<{ n: string | number }>(
    `select count(*) as n from shopify_dead_letters where tenant_id = $1 and state = 'open'`,
    [tenantId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** One failure of a letter: its attempt count once counted, when, and Shopify's (or our) words. */
export interface DeadLetterAttempt {
  attempt: number;
  failedAt: Date;
  errorClass: string;
  error: string;
}

/** A letter's failures, oldest first. */
export async function deadLetterAttempts(
  q: Queryable,
  tenantId: string,
  letterId: number,
): Promise<DeadLetterAttempt[]> {
  const { rows } = await q.query<{ attempt: number; failed_at: Date; error_class: string; error: string }>(
    `select attempt, failed_at, error_class, error from shopify_dead_letter_attempts
      where tenant_id = $1 and letter_id = $2 order by id`,
    [tenantId, letterId],
  );
  return rows.map((r) => ({
    attempt: r.attempt,
    failedAt: r.failed_at,
    errorClass: r.error_class,
    error: r.error,
  }));
}
