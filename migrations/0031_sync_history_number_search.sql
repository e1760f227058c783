-- Sync History search by a number (a Shopify id or GID, the digits of a SKU, an e-mail or a phone).
-- The trigram index (0025) reads a long list for each trigram of a query, and a number's trigrams
-- ("000", "100", "123") are in most entries: at a million entries one rare number cost 20-130 ms
-- there. This index holds, for each run of 5 or more digits in the search text, the run from each of
-- its positions (at most 16 digits, at least 5): a number typed in a search, a part of some run, is the
-- start of one of them, so a prefix search of the index (`'0012345':*`) finds every entry that holds it
-- and almost no other. A text with more than 20,000 digits (a huge import batch) is indexed as 'many'
-- and always checked (a tsvector holds at most 1 MB).
create function shopify_sync_history_numbers(search_text text) returns tsvector
  language plpgsql immutable strict parallel safe cost 1000 as $$
declare
  run text;
  lexemes text[] := '{}';
begin
  if length(search_text) - length(translate(search_text, '0123456789', '')) > 20000 then
    return 'many'::tsvector;
  end if;
  foreach run in array regexp_split_to_array(search_text, '[^0-9]+') loop
    for i in 1 .. length(run) - 4 loop
      lexemes := lexemes || substr(run, i, 16);
    end loop;
  end loop;
  return array_to_tsvector(lexemes);
end $$;

-- New entries wait in a GIN index's pending list until it is merged, and every search reads all of it:
-- at the default 4 MB that was ~470 pages per search of the trigram index. 256 kB keeps it short.
create index shopify_sync_history_numbers_idx on shopify_sync_history
  using gin (shopify_sync_history_numbers(search_text)) with (gin_pending_list_limit = 256);
alter index shopify_sync_history_search_idx set (gin_pending_list_limit = 256);
