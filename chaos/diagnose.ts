// When a chaos run cannot settle: what was still in flight, read from the stopped database (jobs not
// finished, inbox deliveries still pending, stock pushes pending, open dead letters).
import type { Queryable } from '../src/db/db.ts';

export async function inFlight(db: Queryable): Promise<string[]> {
  const lines: string[] = [];
  const dump = async (title: string, sql: string) => {
    const { rows } = await db.query<Record<string, unknown>>(sql);
    lines.push(`${title}: ${rows.length}`);
    for (const r of rows.slice(0, 30)) lines.push(`  ${JSON.stringify(r)}`);
  };
  await dump(
    'jobs not finished',
    `select name, state, singleton_key, retry_count, start_after, started_on, left(output::text, 300) as output
       from pgboss.job where state in ('created', 'retry', 'active') and name like 'shopify.%' order by created_on`,
  );
  await dump(
    'inbox deliveries pending',
    `select id, topic, attempts, not_before, received_at, left(last_error, 300) as last_error,
            left(body::text, 200) as body from shopify_webhook_inbox where state = 'pending' order by id`,
  );
  await dump(
    'stock pushes pending',
    `select level_id, generation, pending_from, pending_delta, pending_since
       from shopify_inventory_pushes where pending_key is not null`,
  );
  await dump(
    'open dead letters',
    `select entity, job, error_class, left(last_error, 300) as last_error, attempts
       from shopify_dead_letters where state = 'open'`,
  );
  return lines;
}
