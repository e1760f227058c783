import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, query } from '../api.ts';
import type { Page } from '../types.ts';
import { ErrorMessage } from './error-message.tsx';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

interface Props<T extends { id: string }> {
  title: string;
  /** e.g. '/api/products' */
  endpoint: string;
  /** The nouns, lower case: "product", "products". */
  singular: string;
  noun: string;
  searchHint: string;
  columns: Column<T>[];
}

const PAGE_SIZE = 50;

/** A read-only, searchable, paged table over one of the API's keyset-paged list endpoints. */
export function ResourceList<T extends { id: string }>({
  title,
  endpoint,
  singular,
  noun,
  searchHint,
  columns,
}: Props<T>) {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);

  const load = useCallback(
    (q: string, after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      setError(null);
      api<Page<T>>('GET', `${endpoint}${query({ q, limit: PAGE_SIZE, cursor: after })}`).then(
        (page) => {
          if (mine !== generation.current) return;
          setRows((prev) => (after ? [...prev, ...page.items] : page.items));
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
    [endpoint],
  );

  useEffect(() => load(search, null), [load, search]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (draft.trim() === search) load(search, null);
    else setSearch(draft.trim());
  };
  const clear = (): void => {
    setDraft('');
    setSearch('');
  };

  const searchId = `search-${noun}`;
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
      </header>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor={searchId}>Search {noun}</label>
        <div className="search-row">
          <input
            id={searchId}
            type="search"
            value={draft}
            placeholder={searchHint}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
          {search ? (
            <button type="button" className="button button-quiet" onClick={clear}>
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <ErrorMessage title={`Could not load ${noun}`} error={error} />
      <div className="table-wrap">
        <table className="table" aria-busy={loading}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col" className={c.className}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                {columns.map((c) => (
                  <td key={c.header} className={c.className}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="list-status" role="status">
        {loading
          ? `Loading ${noun}…`
          : rows.length === 0 && !error
            ? search
              ? `No ${noun} match “${search}”.`
              : `No ${noun} yet.`
            : `Showing ${rows.length} ${rows.length === 1 ? singular : noun}${cursor ? '; more available' : ''}.`}
      </p>
      {cursor && !loading ? (
        <button type="button" className="button" onClick={() => load(search, cursor)}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
