import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, query } from '../api.ts';
import { Badge, type Tone } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatCount, formatDate } from '../format.ts';
import { navigate, useLocation } from '../router.ts';
import type { Page } from '../types.ts';
import { HistoryActions } from './history-actions.tsx';
import { HistoryDiff } from './history-diff.tsx';
import {
  apiQuery,
  badRange,
  DIRECTIONS,
  ENTITIES,
  filtersFrom,
  HISTORY_PATH,
  historyHref,
  labelOf,
  ORIGINS,
  OUTCOMES,
  type HistoryEntry,
  type HistoryFilters,
} from './history-model.ts';
import './sync-history.css';

const PAGE_SIZE = 25;
const OUTCOME_TONE: Record<string, Tone> = { applied: 'success', merged: 'warning', failed: 'critical' };
const RECORD_PAGES: Record<string, string> = {
  product: '/app/products',
  customer: '/app/customers',
  order: '/app/orders',
};

/** A page of entries for a query, with "load more" (keyset), reloaded when the query changes. */
function useHistory(apiParams: string, pageSize: number) {
  const [items, setItems] = useState<HistoryEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const load = useCallback(
    (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(null);
      const sep = apiParams ? '&' : '?';
      const more = `${sep}limit=${pageSize}${after ? `&cursor=${after}` : ''}`;
      api<Page<HistoryEntry>>('GET', `/api/shopify/history${apiParams}${more}`).then(
        (page) => {
          if (mine !== generation.current) return;
          setItems((prev) => (after ? [...prev, ...page.items] : page.items));
          setCursor(page.next_cursor);
          setLoading(false);
        },
        (err: unknown) => {
          if (mine !== generation.current) return;
          setError(err);
          setLoading(false);
        },
      );
    },
    [apiParams, pageSize],
  );
  // A new query never shows the last one's entries while it loads.
  useEffect(() => {
    setItems([]);
    setCursor(null);
  }, [apiParams]);
  useEffect(() => load(null), [load]);
  return { items, cursor, loading, error, more: () => load(cursor), reload: () => load(null) };
}

const directionLabel = (d: string): string => labelOf(DIRECTIONS, d);

/** The record an entry is about, linked to its page when it has one. */
function RecordName({ entry }: { entry: HistoryEntry }) {
  const base = RECORD_PAGES[entry.entity];
  if (base && entry.local_id && entry.action !== 'delete')
    return <Link to={`${base}/${entry.local_id}`}>{entry.display_name}</Link>;
  return <>{entry.display_name}</>;
}

/** An import batch's records: those matching the search (or the first), each linked to its page. */
function ImportedRecords({ entry, compact }: { entry: HistoryEntry; compact: boolean }) {
  const records = entry.records ?? [];
  const base = RECORD_PAGES[entry.entity];
  const shown = compact ? records.slice(0, 20) : records;
  return (
    <div className="history-records">
      <p className="muted">
        {formatCount(entry.record_count)} {entry.record_count === 1 ? 'record' : 'records'} imported in this
        batch{records.length < entry.record_count ? `; ${formatCount(records.length)} shown` : ''}.
      </p>
      <ul className="history-record-list">
        {shown.map((r) => (
          <li key={r.local_id}>
            {base ? <Link to={`${base}/${r.local_id}`}>{r.name}</Link> : r.name}{' '}
            <span className="cell-sub history-gid">{r.gid}</span>
          </li>
        ))}
      </ul>
      {compact && records.length < entry.record_count ? (
        <Link to={`${HISTORY_PATH}/${entry.id}`}>
          All {formatCount(entry.record_count)} records of this batch
        </Link>
      ) : null}
    </div>
  );
}

/** What an entry says at a glance: where from, which way, how it ended, when. */
function EntryFacts({ entry }: { entry: HistoryEntry }) {
  return (
    <p className="history-facts">
      <Badge tone={OUTCOME_TONE[entry.outcome] ?? 'neutral'}>{labelOf(OUTCOMES, entry.outcome)}</Badge>{' '}
      <span>{labelOf(ORIGINS, entry.origin)}</span>
      <span aria-hidden="true"> · </span>
      <span>{directionLabel(entry.direction)}</span>
      <span aria-hidden="true"> · </span>
      <time dateTime={entry.occurred_at}>{formatDate(entry.occurred_at)}</time>
    </p>
  );
}

/** One entry: its record, facts, error; its changes (before/after) opened on request; Revert / Redo. */
export function HistoryEntryItem({
  entry,
  onDone,
  open: initiallyOpen = false,
  compact = false,
}: {
  entry: HistoryEntry;
  onDone: () => void;
  open?: boolean;
  compact?: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const panel = `history-entry-${entry.id}`;
  const isImport = entry.records !== null;
  const kind = labelOf(ENTITIES, entry.entity).replace(/s$/, '').toLowerCase();
  return (
    <li className={`history-entry${entry.outcome === 'failed' ? ' history-entry-failed' : ''}`}>
      <div className="history-entry-head">
        <div className="history-entry-title">
          <span className="cell-main">
            <RecordName entry={entry} />
          </span>
          <span className="cell-sub">
            {entry.action === 'create' ? 'Created' : entry.action === 'delete' ? 'Deleted' : 'Updated'} {kind}
            {entry.gid ? <span className="history-gid"> · {entry.gid}</span> : null}
          </span>
        </div>
        <EntryFacts entry={entry} />
      </div>
      {entry.cause ? <p className="history-cause">{entry.cause}</p> : null}
      {entry.error ? (
        <p className="alert alert-error history-error">
          <strong className="alert-title">Failed:</strong>{' '}
          <span className="alert-message">{entry.error}</span>
        </p>
      ) : null}
      {isImport ? <ImportedRecords entry={entry} compact={compact || !initiallyOpen} /> : null}
      <div className="button-row history-entry-actions">
        {!isImport ? (
          <button
            type="button"
            className="button button-quiet"
            aria-expanded={open}
            aria-controls={panel}
            onClick={() => setOpen((v) => !v)}
          >
            {open ? 'Hide changes' : 'Show changes'}
            <span className="visually-hidden"> of {entry.display_name}</span>
          </button>
        ) : null}
        {!compact ? (
          <Link to={`${HISTORY_PATH}/${entry.id}`} className="history-permalink">
            Entry #{entry.id}
          </Link>
        ) : null}
        <HistoryActions entry={entry} onDone={onDone} />
      </div>
      {open && !isImport ? (
        <div id={panel}>
          <HistoryDiff entry={entry} />
        </div>
      ) : null}
    </li>
  );
}

function Select({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Search and filters; every change is a new address (so Back returns to the previous search). */
function HistoryFiltersForm({ filters }: { filters: HistoryFilters }) {
  const [draft, setDraft] = useState(filters.q);
  useEffect(() => setDraft(filters.q), [filters.q]);
  const go = (patch: Partial<HistoryFilters>): void => navigate(historyHref({ ...filters, ...patch }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    go({ q: draft.trim() });
  };
  const any = Object.values(filters).some((v) => v !== '');
  return (
    <form className="history-filters" role="search" aria-label="Search Sync History" onSubmit={submit}>
      <div className="field history-search">
        <label htmlFor="history-q">Search</label>
        <div className="search-row">
          <input
            id="history-q"
            type="search"
            value={draft}
            maxLength={200}
            placeholder="Title, SKU, order name, e-mail, name or Shopify id"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
      <div className="history-filter-grid">
        <Select
          id="history-entity"
          label="Record type"
          value={filters.entity}
          options={ENTITIES}
          onChange={(v) => go({ entity: v })}
        />
        <Select
          id="history-direction"
          label="Direction"
          value={filters.direction}
          options={DIRECTIONS}
          onChange={(v) => go({ direction: v })}
        />
        <Select
          id="history-origin"
          label="Origin"
          value={filters.origin}
          options={ORIGINS}
          onChange={(v) => go({ origin: v })}
        />
        <Select
          id="history-outcome"
          label="Outcome"
          value={filters.outcome}
          options={OUTCOMES}
          onChange={(v) => go({ outcome: v })}
        />
        <div className="field">
          <label htmlFor="history-from">From (day)</label>
          <input
            id="history-from"
            type="date"
            value={filters.from}
            onChange={(e) => go({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="history-to">To (day, included)</label>
          <input
            id="history-to"
            type="date"
            value={filters.to}
            onChange={(e) => go({ to: e.target.value })}
          />
        </div>
      </div>
      {filters.local_id ? (
        <p className="alert alert-info">
          <span className="alert-message">Showing one record’s history.</span>
          <button type="button" className="button button-quiet" onClick={() => go({ local_id: '' })}>
            Show every record
          </button>
        </p>
      ) : null}
      {any ? (
        <Link to={HISTORY_PATH} className="history-clear">
          Clear search and filters
        </Link>
      ) : null}
    </form>
  );
}

function EntryList({
  entries,
  onDone,
  compact = false,
}: {
  entries: HistoryEntry[];
  onDone: () => void;
  compact?: boolean;
}) {
  return (
    <ol className="history-list">
      {entries.map((e) => (
        <HistoryEntryItem key={e.id} entry={e} onDone={onDone} compact={compact} />
      ))}
    </ol>
  );
}

function HistoryList() {
  const { params } = useLocation();
  const filters = filtersFrom(params);
  const invalid = badRange(filters);
  const history = useHistory(invalid ? '' : query(apiQuery(filters)), PAGE_SIZE);
  const searching = filters.q !== '';
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Sync History</h2>
      <p className="muted">
        Every change synced in either direction, newest first, with what it was before and after. An import is
        listed one batch at a time; search finds a record inside it.
      </p>
      <HistoryFiltersForm filters={filters} />
      {invalid ? (
        <p className="alert alert-warning" role="alert">
          <span className="alert-message">The first day is after the last day.</span>
        </p>
      ) : (
        <>
          <ErrorMessage title="Could not load Sync History" error={history.error} />
          <p className="list-status" role="status">
            {history.loading
              ? 'Loading entries…'
              : history.items.length === 0 && !history.error
                ? searching
                  ? `No entry matches “${filters.q}”. If a change is missing, check Sync Health: its webhook may be disconnected.`
                  : 'No entries match.'
                : `Showing ${formatCount(history.items.length)} ${history.items.length === 1 ? 'entry' : 'entries'}${history.cursor ? '; more available' : ''}.`}
          </p>
          <EntryList entries={history.items} onDone={history.reload} />
          {history.cursor && !history.loading ? (
            <button type="button" className="button" onClick={history.more}>
              Load more
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

/** One entry's own page (/app/shopify/history/:id): opened, with all of an import batch's records. */
function EntryPage({ id }: { id: number }) {
  const [entry, setEntry] = useState<HistoryEntry | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<HistoryEntry>('GET', `/api/shopify/history/${id}`).then(setEntry, setError);
  }, [id]);
  useEffect(load, [load]);
  return (
    <section className="card" aria-labelledby="history-entry-title">
      <p className="breadcrumb">
        <Link to={HISTORY_PATH}>Sync History</Link>
      </p>
      <h2 id="history-entry-title">Entry #{id}</h2>
      <ErrorMessage title="Could not load this entry" error={error} />
      {entry ? (
        <ol className="history-list">
          <HistoryEntryItem entry={entry} onDone={load} open />
        </ol>
      ) : error ? null : (
        <p className="muted" role="status">
          Loading the entry…
        </p>
      )}
    </section>
  );
}

/** App › Shopify › Sync History: search and filters in the URL, entries newest first, each entry's page. */
export function SyncHistoryTab() {
  const { path } = useLocation();
  const id = /^\/app\/shopify\/history\/(\d{1,15})\/?$/.exec(path)?.[1];
  if (id) return <EntryPage id={Number(id)} />;
  if (path.replace(/\/+$/, '') !== HISTORY_PATH)
    return (
      <div className="alert alert-warning" role="alert">
        <strong className="alert-title">No such entry.</strong>{' '}
        <Link to={HISTORY_PATH}>See Sync History</Link>
      </div>
    );
  return <HistoryList />;
}

const RECORD_PAGE_SIZE = 5;

/**
 * One record's own Sync History, compact (on its back-office page): its latest entries, the import
 * batch that brought it in, and a link to the whole tab filtered to it.
 */
export function RecordHistory({ entity, localId }: { entity: string; localId: string }) {
  const history = useHistory(query({ local_id: localId }), RECORD_PAGE_SIZE);
  return (
    <div className="record-history" data-entity={entity}>
      <ErrorMessage title="Could not load this record’s Sync History" error={history.error} />
      {history.loading && history.items.length === 0 ? (
        <p className="muted" role="status">
          Loading its Sync History…
        </p>
      ) : history.items.length === 0 && !history.error ? (
        <p className="muted">Nothing synced yet.</p>
      ) : (
        <EntryList entries={history.items} onDone={history.reload} compact />
      )}
      <Link to={historyHref({ local_id: localId })}>All of its Sync History</Link>
    </div>
  );
}
