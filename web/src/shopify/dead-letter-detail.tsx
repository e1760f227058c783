import { api } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatCount, formatDate, humanize } from '../format.ts';
import {
  DEAD_LETTERS_PATH,
  direction,
  LETTER_TONE,
  useSettle,
  type DeadLetter,
} from './dead-letter-model.ts';
import { LetterActions } from './dead-letter-actions.tsx';
import { usePoll } from './use-poll.ts';
import { TableHead } from '../components/table-head.tsx';

interface Attempt {
  attempt: number;
  failed_at: string;
  error_class: string;
  error: string;
}

interface Detail extends DeadLetter {
  attempt_log: Attempt[];
}

const RECORD_PAGES: Record<string, string> = {
  product: '/app/products',
  customer: '/app/customers',
  order: '/app/orders',
};

function RecordLink({ l }: { l: Detail }) {
  const base = RECORD_PAGES[l.entity];
  if (base && l.local_id)
    return <Link to={`${base}/${l.local_id}`}>{`Open the ${humanize(l.entity)} in Retailos`}</Link>;
  return <span>{l.gid ?? '—'}</span>;
}

/** How many tries a row of the log stands for ("attempt 3", "attempts 1–8" for a push's retries). */
function tries(log: readonly Attempt[], i: number): string {
  const a = log[i] as Attempt;
  const from = i === 0 ? 1 : (log[i - 1] as Attempt).attempt + 1;
  return from >= a.attempt ? `${a.attempt}` : `${from}–${a.attempt}`;
}

/** One dead letter: the record by its name, what failed, every attempt with its error, Replay / Discard. */
export function DeadLetterDetail({ id }: { id: number }) {
  const letter = usePoll(() => api<Detail>('GET', `/api/shopify/dead-letters/${id}`), 5000, String(id));
  const { busy, error, settle } = useSettle(letter.reload);
  const l = letter.data;
  return (
    <section className="card" aria-labelledby="dead-letter-title">
      <p className="breadcrumb">
        <Link to={DEAD_LETTERS_PATH}>Dead letters</Link>
      </p>
      <ErrorMessage title="Could not load the dead letter" error={letter.error} />
      <ErrorMessage title="Could not settle the dead letter" error={error} />
      {l === null ? (
        letter.error ? null : (
          <p className="muted" role="status">
            Loading the dead letter…
          </p>
        )
      ) : (
        <>
          <header className="card-header">
            <h2 id="dead-letter-title">{l.display_name}</h2>
            <Badge tone={LETTER_TONE[l.state]}>{humanize(l.state)}</Badge>
          </header>
          <p>{`${humanize(l.entity)} · ${direction(l.direction)} · ${l.error_class}`}</p>
          <p className="alert alert-error">
            <strong className="alert-title">Last error</strong> {l.last_error}
          </p>
          <dl className="facts">
            <div>
              <dt>Attempts</dt>
              <dd>{formatCount(l.attempts)}</dd>
            </div>
            <div>
              <dt>First failed</dt>
              <dd>{formatDate(l.first_failed_at)}</dd>
            </div>
            <div>
              <dt>Last failed</dt>
              <dd>{formatDate(l.last_failed_at)}</dd>
            </div>
            <div>
              <dt>Later changes waiting</dt>
              <dd>{formatCount(l.waiting_changes)}</dd>
            </div>
            <div>
              <dt>Record</dt>
              <dd>
                <RecordLink l={l} />
              </dd>
            </div>
            {l.settled_at ? (
              <div>
                <dt>{l.state === 'discarded' ? 'Discarded' : 'Replayed'}</dt>
                <dd>{formatDate(l.settled_at)}</dd>
              </div>
            ) : null}
          </dl>
          {l.state === 'open' ? (
            <LetterActions l={l} busy={busy} settle={settle} />
          ) : l.state === 'replayed' ? (
            <p className="muted" role="status">
              Replayed: if it fails again, this letter opens again with the new error.
            </p>
          ) : null}
          <h3 id="attempts-title" className="card-section-title">
            Attempts
          </h3>
          <div className="table-wrap">
            <table className="table" aria-labelledby="attempts-title">
              <TableHead columns={['Attempt', 'Failed', 'Error']} />
              <tbody>
                {l.attempt_log.map((a, i) => (
                  <tr key={`${a.attempt}-${a.failed_at}`}>
                    <th scope="row">{tries(l.attempt_log, i)}</th>
                    <td>{formatDate(a.failed_at)}</td>
                    <td>
                      <span className="cell-main">{a.error}</span>
                      <span className="cell-sub">{a.error_class}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
