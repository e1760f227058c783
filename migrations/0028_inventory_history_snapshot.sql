-- A stock level has one snapshot shape, its sync base's: {available, onHand}. Sync History's stock
-- entries written as {available, on_hand} take it (before, after, and the `on_hand` path of their
-- diff); the oldest entries, {available} alone, stay as they are: their on-hand number was never kept.
update shopify_sync_history
set before = case when before ? 'on_hand'
                  then (before - 'on_hand') || jsonb_build_object('onHand', before -> 'on_hand') else before end,
    after = case when after ? 'on_hand'
                 then (after - 'on_hand') || jsonb_build_object('onHand', after -> 'on_hand') else after end,
    diff = (select coalesce(jsonb_agg(case when e.d ->> 'path' = 'on_hand'
                                           then jsonb_set(e.d, '{path}', '"onHand"') else e.d end
                                      order by e.n), '[]'::jsonb)
            from jsonb_array_elements(diff) with ordinality as e(d, n))
where entity = 'inventory_level'
  and (before ? 'on_hand' or after ? 'on_hand' or diff @> '[{"path": "on_hand"}]');
