import { humanize, formatCount, formatDate, formatDuration } from '../format.ts';
import { fraction, type ImportProgress, type ResourceProgress } from './import-progress-model.ts';

function percent(done: number, total: number | null): string {
  const f = fraction(done, total);
  return f === null ? '' : `${Math.floor(f * 100)}%`;
}

function Row({ r }: { r: ResourceProgress }) {
  const id = `import-${r.resource}`;
  return (
    <tr>
      <th scope="row" id={id}>
        {humanize(r.resource)}
      </th>
      <td className="progress-cell">
        {r.total === null ? (
          <progress aria-labelledby={id} />
        ) : (
          <progress
            aria-labelledby={id}
            max={Math.max(r.total, 1)}
            value={Math.min(r.done, Math.max(r.total, 1))}
          />
        )}
        <span className="progress-pct">{percent(r.done, r.total)}</span>
      </td>
      <td className="num">
        {formatCount(r.done)} / {r.total === null ? '—' : formatCount(r.total)}
      </td>
      <td className="num">{r.rate === null ? '—' : `${formatCount(Math.round(r.rate))}/s`}</td>
      <td className="num">{r.etaSeconds === null ? '—' : formatDuration(r.etaSeconds)}</td>
    </tr>
  );
}

/** The initial import's progress per resource (records done of total, rate, time left). */
export function ImportProgressPanel({ progress, live }: { progress: ImportProgress; live: boolean }) {
  return (
    <section className="card" aria-labelledby="import-title" aria-live="polite" aria-busy={live}>
      <header className="card-header">
        <h2 id="import-title">Initial import</h2>
        <span className="muted">
          {humanize(progress.state)}
          {live ? ' · updating every second' : ''}
        </span>
      </header>
      {progress.reason ? <p className="alert alert-warning">{progress.reason}</p> : null}
      <dl className="facts">
        <div>
          <dt>Overall rate</dt>
          <dd>{progress.rate === null ? '—' : `${formatCount(Math.round(progress.rate))} records/s`}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{progress.etaSeconds === null ? '—' : formatDuration(progress.etaSeconds)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDate(progress.startedAt)}</dd>
        </div>
        {progress.finishedAt ? (
          <div>
            <dt>Finished</dt>
            <dd>{formatDate(progress.finishedAt)}</dd>
          </div>
        ) : null}
      </dl>
      {progress.resources.length > 0 ? (
        <table className="table progress-table">
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Progress</th>
              <th scope="col" className="num">
                Records
              </th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num">
                Time left
              </th>
            </tr>
          </thead>
          <tbody>
            {progress.resources.map((r) => (
              <Row key={r.resource} r={r} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No records counted yet.</p>
      )}
    </section>
  );
}
