import { api, query } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatCount, formatDate, humanize } from '../format.ts';
import { navigate, useLocation } from '../router.ts';
import type { Page } from '../types.ts';
import { LetterActions } from './dead-letter-actions.tsx';
import { DeadLetterDetail } from './dead-letter-detail.tsx';
import {
  DEAD_LETTERS_PATH,
  direction,
  LETTER_TONE,
  useSettle,
  type DeadLetter,
} from './dead-letter-model.ts';
import { usePoll } from './use-poll.ts';
import { TableHead } from '../components/table-head.tsx';

const POLL_MS = 5000;
const PAGE = 50;
const FILTERS = [
  { value: 'open', label: 'Open' },
  { value: 'replayed', label: 'Replayed' },
  { value: 'discarded', label: 'Discarded' },
  { value: 'all', label: 'All' },
] as const;
type Filter = (typeof FILTERS)[number]['value'];

function LetterRow({
  l,
  busy,
  settle,
}: {
  l: DeadLetter;
  busy: boolean;
  settle: (path: string) => Promise<void>;
}) {
  return (
    <tr>
      <th scope="row">
        <Link to={`${DEAD_LETTERS_PATH}/${l.id}`} className="cell-main">
          {l.display_name}
        </Link>
        <span className="cell-sub">
          {humanize(l.entity)}
          {l.waiting_changes > 0 ? ` · ${formatCount(l.waiting_changes)} later changes waiting` : ''}
        </span>
      </th>
      <td>{direction(l.direction)}</td>
      <td>
        <span className="cell-main">{l.last_error}</span>
        <span className="cell-sub">{l.error_class}</span>
      </td>
      <td className="num">{formatCount(l.attempts)}</td>
      <td>{formatDate(l.last_failed_at)}</td>
      <td>
        {l.state === 'open' ? (
          <LetterActions l={l} busy={busy} settle={settle} named />
        ) : (
          <Badge tone={LETTER_TONE[l.state]}>{`${humanize(l.state)} ${formatDate(l.settled_at)}`}</Badge>
        )}
      </td>
    </tr>
  );
}

function LetterList() {
  const { params } = useLocation();
  const raw = params.get('state');
  const filter: Filter = FILTERS.some((f) => f.value === raw) ? (raw as Filter) : 'open';
  const before = /^\d{1,18}$/.exec(params.get('cursor') ?? '')?.[0];
  const state = filter === 'all' ? undefined : filter;
  const load = () =>
    api<Page<DeadLetter>>('GET', `/api/shopify/dead-letters${query({ state, limit: PAGE, cursor: before })}`);
  const letters = usePoll(load, POLL_MS, `${filter}:${before ?? ''}`);
  const { busy, error, settle } = useSettle(letters.reload);
  const items = letters.data?.items ?? [];
  const at = (next: { state: Filter; cursor?: string | undefined }): string =>
    `${DEAD_LETTERS_PATH}${query({ state: next.state === 'open' ? undefined : next.state, cursor: next.cursor })}`;
  const choose = (value: Filter): void => navigate(at({ state: value }));
  return (
    <section className="card" aria-labelledby="dead-letters-title">
      <header className="card-header list-header">
        <h2 id="dead-letters-title">Dead letters</h2>
        <div className="field field-inline">
          <label htmlFor="dead-letter-state">Show</label>
          <select id="dead-letter-state" value={filter} onChange={(e) => choose(e.target.value as Filter)}>
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </header>
      <p className="muted">
        A change that could not reach the other side is parked here with the reason. Replay runs it again
        (after the cause is fixed); Discard drops it. Later changes of the same record wait behind an open
        letter.
      </p>
      <ErrorMessage title="Could not load the dead letters" error={letters.error} />
      <ErrorMessage title="Could not settle the dead letter" error={error} />
      {letters.data === null ? (
        letters.error ? null : (
          <p className="muted" role="status">
            Loading the dead letters…
          </p>
        )
      ) : items.length === 0 ? (
        <p className="muted" role="status">
          {filter === 'open'
            ? 'None open: every change reached its side.'
            : `No ${filter === 'all' ? '' : `${filter} `}dead letters.`}
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" aria-labelledby="dead-letters-title">
              <TableHead
                columns={['Record', 'Direction', 'Last error', 'Attempts', 'Last failed', 'Actions']}
                num={['Attempts']}
              />
              <tbody>
                {items.map((l) => (
                  <LetterRow key={l.id} l={l} busy={busy} settle={settle} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            {filter === 'open' ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void settle('/api/shopify/dead-letters/replay')}
              >
                Replay all
              </button>
            ) : null}
            {before ? (
              <Link to={at({ state: filter })} className="button button-quiet">
                Newest
              </Link>
            ) : null}
            {letters.data.next_cursor ? (
              <Link
                to={at({ state: filter, cursor: letters.data.next_cursor })}
                className="button button-quiet"
              >
                Older
              </Link>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}

/** App › Shopify › Dead letters: the list (filtered by state, in the URL) and each letter's own page. */
export function DeadLettersTab() {
  const { path } = useLocation();
  const id = /^\/app\/shopify\/dead-letters\/(\d{1,15})\/?$/.exec(path)?.[1];
  if (id) return <DeadLetterDetail id={Number(id)} />;
  if (path.replace(/\/+$/, '') !== DEAD_LETTERS_PATH)
    return (
      <div className="alert alert-warning" role="alert">
        <strong className="alert-title">No such dead letter.</strong>{' '}
        <Link to={DEAD_LETTERS_PATH}>See all dead letters</Link>
      </div>
    );
  return <LetterList />;
}
