-- Every failure of a dead letter, not only its first and last: the letter's detail lists each attempt
-- with its error. `attempt` is the letter's attempt count once this failure was counted (a push that
-- failed after its retries counts them all in one row).
create table shopify_dead_letter_attempts (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  letter_id bigint not null references shopify_dead_letters(id),
  attempt integer not null,
  failed_at timestamptz not null,
  error_class text not null,
  error text not null
);
create index shopify_dead_letter_attempts_letter_idx on shopify_dead_letter_attempts (tenant_id, letter_id, id);

-- Letters written before this log: their first and (when more than one attempt) last failure.
insert into shopify_dead_letter_attempts (tenant_id, letter_id, attempt, failed_at, error_class, error)
select tenant_id, id, 1, first_failed_at, error_class, first_error from shopify_dead_letters;
insert into shopify_dead_letter_attempts (tenant_id, letter_id, attempt, failed_at, error_class, error)
select tenant_id, id, attempts, last_failed_at, error_class, last_error from shopify_dead_letters where attempts > 1;
