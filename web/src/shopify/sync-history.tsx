/**
 * Sync History (App › Shopify › Sync History) and one record's own history (on its back-office page).
 * Being built: the helper that owns Sync History replaces these.
 */
export function SyncHistoryTab() {
  return <p className="muted">Sync History is loading…</p>;
}

export function RecordHistory({ entity, localId }: { entity: string; localId: string }) {
  return (
    <p className="muted" data-entity={entity} data-local-id={localId}>
      Sync History is loading…
    </p>
  );
}
