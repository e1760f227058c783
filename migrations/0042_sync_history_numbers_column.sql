-- Sync History's number lexemes (0031) in a column Retailos fills as it writes an entry, instead of an
-- index over shopify_sync_history_numbers(search_text): that function, run by the database for every
-- entry, took 11-16 ms of CPU on PGlite for an import batch's 40-80 kB search text (its digit count
-- alone: a translate over the whole text), about 5 s of an import of 170,000 records. The lexemes are
-- the same (domain/history-numbers.ts, checked against the function by a property test); an entry
-- written without them (a bulk fill in a bench, an older writer) gets them from the function.
alter table shopify_sync_history add column search_numbers tsvector;
update shopify_sync_history set search_numbers = shopify_sync_history_numbers(search_text);

create function shopify_sync_history_numbers_fill() returns trigger
  language plpgsql as $$
begin
  if new.search_numbers is null then
    new.search_numbers := shopify_sync_history_numbers(new.search_text);
  end if;
  return new;
end $$;
create trigger shopify_sync_history_numbers_fill before insert on shopify_sync_history
  for each row execute function shopify_sync_history_numbers_fill();

drop index shopify_sync_history_numbers_idx;
create index shopify_sync_history_numbers_idx on shopify_sync_history
  using gin (search_numbers) with (gin_pending_list_limit = 256);
