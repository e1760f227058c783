import { formatDate } from '../format.ts';
import { reconciliationResult, type Reconciliation } from './health-model.ts';

/** The daily drift reconciliation: its last run and result, and when the next is due. */
export function ReconciliationCard({ rec, headingId }: { rec: Reconciliation; headingId: string }) {
  const last = rec.last;
  return (
    <section className="card" aria-labelledby={headingId}>
      <header className="card-header">
        <h2 id={headingId}>Reconciliation</h2>
      </header>
      <dl className="facts">
        <div>
          <dt>Last run</dt>
          <dd>{last ? formatDate(last.started_at) : 'None has run yet'}</dd>
        </div>
        <div>
          <dt>Result</dt>
          <dd>{last ? reconciliationResult(last) : '—'}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{rec.next_at ? formatDate(rec.next_at) : 'None scheduled (the store is not syncing)'}</dd>
        </div>
      </dl>
      <p className="muted">
        Once a day Retailos compares every record on both sides and repairs what webhooks missed.
      </p>
    </section>
  );
}
