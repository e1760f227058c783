/** Revert / Redo of one Sync History entry. Being built: the helper that owns Revert and Redo replaces this. */
export interface HistoryEntryRef {
  id: number;
}

export function HistoryActions({ entry, onDone }: { entry: HistoryEntryRef; onDone: () => void }) {
  void onDone;
  return <span data-entry={entry.id} />;
}
