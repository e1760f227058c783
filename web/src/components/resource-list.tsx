import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { api, query } from '../api.ts';
import { navigate, useLocation } from '../router.ts';
import type { Page } from '../types.ts';
import { ErrorMessage } from './error-message.tsx';
import { Link } from './link.tsx';

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
  /** The page a row opens: its first cell is a link there, and a click anywhere on the row follows it. */
  href: (row: T) => string;
  /** A "New …" button in the header, e.g. { to: '/app/products/new', label: 'New product' }. */
  create?: { to: string; label: string };
}

/** A click on the row, not on a link, a button or selected text inside it, opens the row's page. */
function rowClick(to: string) {
  return (e: MouseEvent<HTMLTableRowElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if ((e.target as Element).closest('a, button, input, select, textarea')) return;
    if (window.getSelection()?.toString()) return;
    navigate(to);
  };
}

const PAGE_SIZE = 50;

/**
 * A searchable, paged table over one of the API's keyset-paged list endpoints. The search is in the URL
 * (`?q=`), so reloading keeps it and Back returns to the previous one; each row opens its record's page.
 */
export function ResourceList<T extends { id: string }>({
  title,
  endpoint,
  singular,
  noun,
  searchHint,
  columns,
  href,
  create,
}: Props<T>) {
  const location = useLocation();
  const search = (location.params.get('q') ?? '').trim();
  const [draft, setDraft] = useState(search);
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
  // Back, Forward or a link changed the URL's search: the field shows it.
  useEffect(() => setDraft(search), [search]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (draft.trim() === search) load(search, null);
    else navigate(`${location.path}${query({ q: draft.trim() })}`);
  };
  const clear = (): void => {
    setDraft('');
    navigate(location.path);
  };

  const searchId = `search-${noun}`;
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header list-header">
        <h1 id="page-title">{title}</h1>
        {create ? (
          <Link to={create.to} className="button button-primary">
            {create.label}
          </Link>
        ) : null}
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
              <tr key={row.id} className="row-link" onClick={rowClick(href(row))}>
                {columns.map((c, i) => (
                  <td key={c.header} className={c.className}>
                    {i === 0 ? (
                      <Link to={href(row)} className="row-link-anchor">
                        {c.cell(row)}
                      </Link>
                    ) : (
                      c.cell(row)
                    )}
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
