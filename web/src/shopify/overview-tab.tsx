import { ErrorMessage } from '../components/error-message.tsx';
import { navigate, useLocation } from '../router.ts';
import { ConnectForm } from './connect-form.tsx';
import { ConnectionPanel } from './connection-panel.tsx';
import { CAN_CONNECT, CAN_DISCONNECT } from './connection-state.ts';
import { DisconnectControl } from './disconnect-control.tsx';
import { ImportProgressPanel } from './import-progress.tsx';
import { ReconcilePanel } from './reconcile-panel.tsx';
import { usePoll } from './use-poll.ts';
import { HEALTH_POLL_MS, loadHealth, VerdictCard } from './verdict-card.tsx';
import { useShopifyStatus } from './use-shopify-status.ts';

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

/** While the store syncs (or imports): the verdict, and the reconciliation (last run, next, on demand). */
function SyncSummary() {
  const health = usePoll(loadHealth, HEALTH_POLL_MS);
  return (
    <>
      <VerdictCard health={health} />
      <ReconcilePanel />
    </>
  );
}

/** App › Shopify › Overview: connect a store, see the connection and its scopes, follow the import, disconnect. */
export function OverviewTab() {
  const { params } = useLocation();
  const status = useShopifyStatus();
  const { connection } = status;
  const connected = params.get('connected');
  const live = connection?.state === 'syncing' || connection?.state === 'importing';
  return (
    <>
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
          {live ? <SyncSummary /> : null}
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
    </>
  );
}
