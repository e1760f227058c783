-- Shopify's time of the write a push's echo note stands for (pushing_hash, pushing_prev_hash), once the
-- push has its answer. A push whose record was edited in Retailos while it ran keeps its note, so that
-- its echo, still on its way, is taken for ours (sync-entity.ts, setAncestorBase). The note used to stay
-- until a later push moved it out, recognised by its hash alone: a Shopify edit made much later that
-- happened to bring the record back to exactly that state (a tag removed, then added again) was taken
-- for our echo, merged against an old base, and overwritten by the Retailos side. Shopify stamps every
-- write with its updatedAt: a state with the note's hash and a later time is Shopify's edit, not ours.
-- Null while the push has no answer (in flight, or its answer lost): then the hash alone decides.
alter table shopify_links add column pushing_answered_at timestamptz;
alter table shopify_links add column pushing_prev_answered_at timestamptz;
