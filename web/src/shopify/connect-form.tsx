import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { normaliseShop } from './shop-domain.ts';

/** Shop field + Connect: asks the server for Shopify's consent URL and sends the browser there. */
export function ConnectForm({
  initialShop,
  reconnect,
  demoShop = null,
}: {
  initialShop: string;
  reconnect: boolean;
  /** When Retailos runs its demo Shopify store: its domain, named here and filled in when no shop is. */
  demoShop?: string | null;
}) {
  const [shop, setShop] = useState(initialShop || (demoShop ?? ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api<{ authorize_url: string; shop: string }>('POST', '/api/shopify/connect', {
      shop: normaliseShop(shop),
    }).then(
      (started) => window.location.assign(started.authorize_url),
      (err: unknown) => {
        setError(err);
        setBusy(false);
      },
    );
  };

  return (
    <section className="card" aria-labelledby="connect-title">
      <h2 id="connect-title">{reconnect ? 'Reconnect your Shopify store' : 'Connect your Shopify store'}</h2>
      <p className="muted">
        You will be sent to Shopify to review the permissions Retailos asks for and approve them, then brought
        back here.
      </p>
      {demoShop ? (
        <p className="alert alert-info" data-testid="demo-shop">
          This Retailos runs a demo Shopify store, <code>{demoShop}</code>, seeded with products, customers
          and orders: connect it to try the import and the two-way sync.
        </p>
      ) : null}
      <form className="connect-form" onSubmit={submit}>
        <ErrorMessage title="Could not start connecting" error={error} />
        <div className="field">
          <label htmlFor="shop-domain">Shop domain</label>
          <div className="search-row">
            <input
              id="shop-domain"
              name="shop"
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              required
              placeholder="your-store.myshopify.com"
              aria-describedby="shop-domain-hint"
              value={shop}
              onChange={(e) => setShop(e.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Opening Shopify…' : reconnect ? 'Reconnect' : 'Connect'}
            </button>
          </div>
          <p id="shop-domain-hint" className="hint">
            Your store’s myshopify.com address, e.g. <code>my-store.myshopify.com</code> (or just{' '}
            <code>my-store</code>).
          </p>
        </div>
      </form>
    </section>
  );
}
