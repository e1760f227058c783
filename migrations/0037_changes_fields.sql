-- Which top-level fields of the record's canonical snapshot (title, note, variants, ...) a Retailos write
-- changed. The three-way merge decides a field changed on both sides by that field's own edit time (the
-- latest change row naming it), not by the record's: an edit of another field afterwards no longer makes
-- an older edit of this one look later. Null: unknown (rows written before this column, the sync's own
-- writes, imports); the record's time is used then.
alter table changes add column fields text[];
