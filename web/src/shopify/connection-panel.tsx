import { Badge } from '../components/badge.tsx';
import { formatDate } from '../format.ts';
import type { ShopifyConnection } from '../types.ts';
import { STATE_VIEW } from './connection-state.ts';

function Scopes({
  title,
  scopes,
  empty,
  tone,
}: {
  title: string;
  scopes: string[];
  empty: string;
  tone?: 'warning';
}) {
  const id = `scopes-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <div className="scopes">
      <h3 id={id}>{title}</h3>
      {scopes.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul aria-labelledby={id} className={`scope-list${tone ? ` scope-list-${tone}` : ''}`}>
          {scopes.map((s) => (
            <li key={s}>
              <code>{s}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The connection's state with its badge and reason, the shop, and the scopes granted and missing. */
export function ConnectionPanel({ connection }: { connection: ShopifyConnection }) {
  const view = STATE_VIEW[connection.state];
  const granted =
    connection.state === 'importing' ||
    connection.state === 'syncing' ||
    connection.granted_scopes.length > 0;
  return (
    <section className="card" aria-labelledby="connection-title">
      <header className="card-header">
        <h2 id="connection-title">Connection</h2>
        <span data-testid="connection-state">
          <Badge tone={view.tone}>{view.label}</Badge>
        </span>
      </header>
      <p>{view.explain}</p>
      {connection.state_reason ? (
        <p className={`alert ${view.tone === 'critical' ? 'alert-error' : 'alert-warning'}`}>
          <strong className="alert-title">Reason</strong> {connection.state_reason}
        </p>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Shop</dt>
          <dd>{connection.shop ?? '—'}</dd>
        </div>
        <div>
          <dt>Connected</dt>
          <dd>{formatDate(connection.connected_at)}</dd>
        </div>
        <div>
          <dt>Admin API version</dt>
          <dd>{connection.api_version ?? '—'}</dd>
        </div>
      </dl>
      {granted ? (
        <div className="scope-grid">
          <Scopes title="Granted scopes" scopes={connection.granted_scopes} empty="None." />
          <Scopes
            title="Missing scopes"
            scopes={connection.missing_scopes}
            empty="None: Shopify granted every scope Retailos asked for."
            tone="warning"
          />
        </div>
      ) : null}
    </section>
  );
}
