import { Badge, type Tone } from '../components/badge.tsx';
import { formatCount, formatDate, formatDuration, humanize } from '../format.ts';
import { fraction, isFinished, type ImportProgress, type ResourceProgress } from './import-progress-model.ts';
import { TableHead } from '../components/table-head.tsx';

const STATE_TONE: Record<string, Tone> = {
  pending: 'neutral',
  running: 'info',
  paused: 'warning',
  failed: 'critical',
  completed: 'success',
};

export const tone = (state: string | null): Tone => STATE_TONE[state ?? ''] ?? 'neutral';

function percent(done: number, total: number | null): string {
  const f = fraction(done, total);
  return f === null ? '' : `${Math.floor(f * 100)}%`;
}

function Row({ r }: { r: ResourceProgress }) {
  const id = `import-${r.resource}`;
  const max = Math.max(r.total ?? 0, 1);
  return (
    <tr>
      <th scope="row">
        <span id={id} className="cell-main">
          {humanize(r.resource)}
        </span>
        {r.mode ? (
          <span className="cell-sub">{r.mode === 'paged' ? 'Page by page' : 'Bulk export'}</span>
        ) : null}
        {r.reason ? <span className="cell-sub">{r.reason}</span> : null}
      </th>
      <td>{r.state ? <Badge tone={tone(r.state)}>{humanize(r.state)}</Badge> : '—'}</td>
      <td>
        <div className="progress-cell">
          {r.state === 'pending' ? (
            <span className="muted">Waiting</span>
          ) : r.total === null ? (
            <progress aria-labelledby={id} />
          ) : (
            <progress aria-labelledby={id} max={max} value={Math.min(r.done + r.parked, max)} />
          )}
          <span className="progress-pct">{percent(r.done + r.parked, r.total)}</span>
        </div>
      </td>
      <td className="num">
        {formatCount(r.done)} / {r.total === null ? '—' : formatCount(r.total)}
        {r.parked > 0 ? <span className="cell-sub parked">{formatCount(r.parked)} parked</span> : null}
      </td>
      <td className="num">{r.rate === null ? '—' : `${formatCount(Math.round(r.rate))}/s`}</td>
      <td className="num">{r.etaSeconds === null ? '—' : formatDuration(r.etaSeconds)}</td>
    </tr>
  );
}

/** The initial import's progress per resource: records done of total, parked, rate and time left. */
export function ImportProgressPanel({ progress, live }: { progress: ImportProgress; live: boolean }) {
  const finished = isFinished(progress.state);
  return (
    <section className="card" aria-labelledby="import-title">
      <header className="card-header">
        <h2 id="import-title">Initial import</h2>
        <span className="muted">
          {live ? 'Updating every second · ' : ''}
          <Badge tone={tone(progress.state)}>{humanize(progress.state)}</Badge>
        </span>
      </header>
      {progress.reason ? <p className="alert alert-warning">{progress.reason}</p> : null}
      <dl className="facts">
        <div>
          <dt>{finished ? 'Average rate' : 'Rate'}</dt>
          <dd>{progress.rate === null ? '—' : `${formatCount(Math.round(progress.rate))} records/s`}</dd>
        </div>
        {finished ? null : (
          <div>
            <dt>Time left</dt>
            <dd>{progress.etaSeconds === null ? '—' : formatDuration(progress.etaSeconds)}</dd>
          </div>
        )}
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
        <div className="table-wrap progress-table">
          <table className="table">
            <TableHead
              columns={['Resource', 'State', 'Progress', 'Records', 'Rate', 'Time left']}
              num={['Records', 'Rate', 'Time left']}
            />
            <tbody>
              {progress.resources.map((r) => (
                <Row key={r.resource} r={r} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No records counted yet.</p>
      )}
    </section>
  );
}
