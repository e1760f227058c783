import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import type { ShopifyConnection } from '../types.ts';

/** Disconnect, after an explicit confirmation that says what happens to sync and to the data. */
export function DisconnectControl({
  shop,
  onDone,
}: {
  shop: string;
  onDone: (c: ShopifyConnection) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const cancel = (): void => {
    setConfirming(false);
    openerRef.current?.focus();
  };
  const confirm = (): void => {
    setBusy(true);
    setError(null);
    api<ShopifyConnection>('POST', '/api/shopify/disconnect').then(
      (c) => {
        setBusy(false);
        setConfirming(false);
        onDone(c);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  return (
    <section className="card card-danger" aria-labelledby="disconnect-title">
      <h2 id="disconnect-title">Disconnect</h2>
      <p className="muted">Stops sync with {shop}. Products, customers and orders stay in Retailos.</p>
      {confirming ? (
        <div
          className="confirm"
          role="alertdialog"
          aria-labelledby="confirm-title"
          aria-describedby="confirm-text"
          onKeyDown={(e) => e.key === 'Escape' && !busy && cancel()}
        >
          <h3 id="confirm-title">Disconnect {shop}?</h3>
          <p id="confirm-text">
            Retailos will stop syncing and remove its webhook subscriptions from Shopify. Your Retailos data
            is kept; you can connect again at any time.
          </p>
          <ErrorMessage title="Could not disconnect" error={error} />
          <div className="button-row">
            <button type="button" className="button button-danger" onClick={confirm} disabled={busy}>
              {busy ? 'Disconnecting…' : 'Yes, disconnect'}
            </button>
            <button type="button" className="button" ref={cancelRef} onClick={cancel} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="button button-danger-outline"
          ref={openerRef}
          onClick={() => setConfirming(true)}
        >
          Disconnect…
        </button>
      )}
    </section>
  );
}
