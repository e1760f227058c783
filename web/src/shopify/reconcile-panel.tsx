import { useState } from 'react';
import { ErrorMessage } from '../components/error-message.tsx';
import { formatDate } from '../format.ts';
import {
  CAUSE_LABEL,
  loadRun,
  loadRuns,
  runResult,
  shown,
  startRun,
  type DifferenceView,
} from './reconcile-model.ts';
import { usePoll } from './use-poll.ts';

const POLL_MS = 2_000;

function Differences({ items }: { items: DifferenceView[] }) {
  if (items.length === 0) return <p role="status">No differences: both sides agree.</p>;
  return (
    <table className="table">
      <caption className="visually-hidden">Differences found by the dry run, field by field</caption>
      <thead>
        <tr>
          <th scope="col">Record</th>
          <th scope="col">Field</th>
          <th scope="col">Last synced</th>
          <th scope="col">Retailos</th>
          <th scope="col">Shopify</th>
        </tr>
      </thead>
      <tbody>
        {items.flatMap((d) =>
          (d.fields.length > 0 ? d.fields : [null]).map((f, i) => (
            <tr key={`${d.entity}-${d.display_name}-${f?.path ?? ''}-${i}`}>
              <th scope="row">
                {i === 0 ? (
                  <>
                    <span className="cell-main">{d.display_name || d.entity}</span>
                    <span className="cell-sub">{CAUSE_LABEL[d.cause] ?? d.cause}</span>
                  </>
                ) : null}
              </th>
              <td>{f ? <code>{f.path}</code> : '—'}</td>
              <td>{f ? shown(f.base) : '—'}</td>
              <td>{f ? shown(f.retailos) : '—'}</td>
              <td>{f ? shown(f.shopify) : '—'}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/**
 * App › Shopify › Overview: the drift reconciliation on demand. "Reconcile now" compares every record
 * with Shopify and repairs what differs; "Show differences" runs a dry run and lists the differences
 * field by field without writing anything. Shows the last run, its result and the next daily run.
 */
export function ReconcilePanel() {
  const runs = usePoll(loadRuns, POLL_MS);
  const [error, setError] = useState<unknown>(null);
  const [shownRun, setShownRun] = useState<string | null>(null);
  const [diffs, setDiffs] = useState<DifferenceView[] | null>(null);
  const last = runs.data?.items[0];
  const running = last?.state === 'running';

  const start = async (dryRun: boolean): Promise<void> => {
    setError(null);
    setDiffs(null);
    try {
      const run = await startRun(dryRun);
      setShownRun(dryRun ? run.id : null);
      await runs.reload();
    } catch (err) {
      setError(err);
    }
  };
  if (shownRun && last?.id === shownRun && last.state !== 'running' && diffs === null) {
    void loadRun(shownRun).then(
      (r) => setDiffs(r.differences),
      (err: unknown) => setError(err),
    );
  }

  return (
    <section className="card" aria-labelledby="reconcile-title">
      <header className="card-header">
        <h2 id="reconcile-title">Drift reconciliation</h2>
      </header>
      <dl className="facts">
        <div>
          <dt>Last run</dt>
          <dd>{last ? `${formatDate(last.started_at)}${last.dry_run ? ' (dry run)' : ''}` : 'None yet'}</dd>
        </div>
        <div>
          <dt>Result</dt>
          <dd>
            <span role="status">{last ? runResult(last) : '—'}</span>
          </dd>
        </div>
        <div>
          <dt>Next daily run</dt>
          <dd>{runs.data?.next_run_at ? formatDate(runs.data.next_run_at) : '—'}</dd>
        </div>
      </dl>
      <div className="button-row">
        <button type="button" className="button" disabled={running} onClick={() => void start(false)}>
          Reconcile now
        </button>
        <button
          type="button"
          className="button button-quiet"
          disabled={running}
          onClick={() => void start(true)}
        >
          Show differences
        </button>
      </div>
      <ErrorMessage title="Could not start the reconciliation" error={error} />
      <ErrorMessage title="Could not load the reconciliation runs" error={runs.error} />
      {diffs ? <Differences items={diffs} /> : null}
    </section>
  );
}
