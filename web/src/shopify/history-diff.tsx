import { useId, useState } from 'react';
import { conflictRows, fieldRows, type HistoryEntry } from './history-model.ts';
import { TableHead } from '../components/table-head.tsx';

/**
 * An entry's before and after, field by field: the changed fields (marked "changed", not only by
 * colour), or every field on request; and for a merged entry each conflict with the value that lost.
 */
export function HistoryDiff({ entry }: { entry: HistoryEntry }) {
  const [all, setAll] = useState(false);
  const id = useId();
  const rows = fieldRows(entry, all);
  const changedCount = fieldRows(entry, false).length;
  const currency =
    typeof (entry.after as { currency?: unknown } | null)?.currency === 'string'
      ? ((entry.after as { currency: string }).currency as string)
      : undefined;
  const conflicts = conflictRows(entry.conflicts, currency);
  const hasSnapshots = entry.before !== null || entry.after !== null;
  return (
    <div className="history-diff">
      {conflicts.length > 0 ? (
        <div className="history-conflicts" role="group" aria-labelledby={`${id}-conflicts`}>
          <h4 id={`${id}-conflicts`}>Changed on both sides</h4>
          <ul className="plain-list">
            {conflicts.map((c) => (
              <li key={c.label}>
                <strong>{c.label}</strong>: {c.winner}’s later edit won ({c.kept}); the losing value was{' '}
                <span className="history-lost">{c.lost}</span>.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {hasSnapshots ? (
        <>
          <div className="table-wrap">
            <table className="table history-fields">
              <caption className="visually-hidden">
                {all ? 'Every field' : 'Changed fields'}, before and after
              </caption>
              <TableHead columns={['Field', 'Before', 'After']} />
              <tbody>
                {rows.map((r) => (
                  <tr key={r.path} className={r.changed ? 'history-changed' : undefined}>
                    <th scope="row">
                      {r.label}
                      {r.changed && all ? <span className="history-changed-tag"> changed</span> : null}
                    </th>
                    <td className={r.changed ? 'history-before' : undefined}>{r.before}</td>
                    <td className={r.changed ? 'history-after' : undefined}>{r.after}</td>
                  </tr>
                ))}
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      No field differs.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="button button-quiet"
            aria-pressed={all}
            onClick={() => setAll((v) => !v)}
          >
            {all ? `Show only the ${changedCount} changed` : 'Show every field'}
          </button>
        </>
      ) : (
        <p className="muted">No snapshot was kept for this entry.</p>
      )}
    </div>
  );
}
