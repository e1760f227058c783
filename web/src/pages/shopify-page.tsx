import { ErrorMessage } from '../components/error-message.tsx';
import { navigate, useLocation } from '../router.ts';
import { ConnectForm } from '../shopify/connect-form.tsx';
import { ConnectionPanel } from '../shopify/connection-panel.tsx';
import { CAN_CONNECT, CAN_DISCONNECT } from '../shopify/connection-state.ts';
import { DisconnectControl } from '../shopify/disconnect-control.tsx';
import { ImportProgressPanel } from '../shopify/import-progress.tsx';
import { SyncHealthPanel } from '../shopify/sync-health.tsx';
import { useShopifyStatus } from '../shopify/use-shopify-status.ts';

/** After the OAuth callback: /app/shopify?connected=<shop>[&missing_scopes=1]. */
function ConnectedNotice({ shop, missingScopes }: { shop: string; missingScopes: boolean }) {
  return (
    <div className={`alert ${missingScopes ? 'alert-warning' : 'alert-success'}`} role="status">
      <strong className="alert-title">Connected to {shop}.</strong>
      <span className="alert-message">
        {missingScopes
          ? 'Shopify did not grant every permission Retailos asked for; see the missing scopes below.'
          : 'Shopify approved the connection; the initial import has started.'}
      </span>
      <button
        type="button"
        className="button button-quiet"
        onClick={() => navigate('/app/shopify', { replace: true })}
      >
        Dismiss
      </button>
    </div>
  );
}

/** App › Shopify: connect a store, see the connection and its scopes, follow the import, disconnect. */
export function ShopifyPage() {
  const { params } = useLocation();
  const status = useShopifyStatus();
  const { connection } = status;
  const connected = params.get('connected');

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <p className="breadcrumb">App</p>
        <h1 id="page-title">Shopify</h1>
      </header>
      {connected ? (
        <ConnectedNotice shop={connected} missingScopes={params.get('missing_scopes') === '1'} />
      ) : null}
      <ErrorMessage title="Could not load the Shopify connection" error={status.connectionError} />
      {connection === null ? (
        status.connectionError ? null : (
          <p className="muted" role="status">
            Loading the connection…
          </p>
        )
      ) : (
        <>
          <ConnectionPanel connection={connection} />
          {connection.state === 'syncing' ? <SyncHealthPanel /> : null}
          {status.progress ? <ImportProgressPanel progress={status.progress} live={status.polling} /> : null}
          <ErrorMessage title="Could not load the import progress" error={status.progressError} />
          {CAN_CONNECT.has(connection.state) ? (
            <ConnectForm
              initialShop={connection.shop ?? ''}
              demoShop={connection.demo_shop}
              reconnect={connection.state === 'error_auth' || connection.state === 'error'}
            />
          ) : null}
          {CAN_DISCONNECT.has(connection.state) && connection.shop ? (
            <DisconnectControl shop={connection.shop} onDone={status.setConnection} />
          ) : null}
        </>
      )}
    </section>
  );
}
