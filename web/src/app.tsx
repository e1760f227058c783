import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken } from './api.ts';
import { ErrorMessage } from './components/error-message.tsx';
import { Shell } from './components/shell.tsx';
import { CustomerPage } from './pages/customer-page.tsx';
import { CustomersPage } from './pages/customers-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { OrderPage } from './pages/order-page.tsx';
import { OrdersPage } from './pages/orders-page.tsx';
import { ProductPage } from './pages/product-page.tsx';
import { ProductsPage } from './pages/products-page.tsx';
import { ShopifyPage } from './pages/shopify-page.tsx';
import { navigate, useLocation } from './router.ts';
import type { WhoAmI } from './types.ts';

type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'failed'; error: unknown }
  | { status: 'in'; me: WhoAmI };

export const HOME = '/app/shopify';

function page(path: string) {
  if (path === '/app/shopify' || path.startsWith('/app/shopify/')) return <ShopifyPage />;
  if (path === '/app/products') return <ProductsPage />;
  if (path === '/app/customers') return <CustomersPage />;
  if (path === '/app/orders') return <OrdersPage />;
  return recordPage(path) ?? <NotFoundPage />;
}

const RECORD_PATH = /^\/app\/(products|customers|orders)\/([^/]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /app/products/:id, /app/customers/:id, /app/orders/:id, and "new" for products and customers. */
function recordPage(path: string) {
  const [, kind, id = ''] = RECORD_PATH.exec(path) ?? [];
  const isNew = id === 'new';
  if (!kind || (!isNew && !UUID.test(id))) return null;
  if (kind === 'products') return <ProductPage key={id} id={isNew ? null : id} />;
  if (kind === 'customers') return <CustomerPage key={id} id={isNew ? null : id} />;
  return isNew ? null : <OrderPage key={id} id={id} />;
}

/** Loads who is logged in, sends the anonymous to /login (keeping where they wanted to go), routes the rest. */
export function App() {
  const location = useLocation();
  const [session, setSession] = useState<Session>({ status: 'loading' });

  const signedIn = useCallback((me: WhoAmI) => {
    setCsrfToken(me.csrf_token);
    setSession({ status: 'in', me });
  }, []);
  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setSession({ status: 'anonymous' });
  }, []);

  useEffect(() => {
    onUnauthenticated(signedOut);
    api<WhoAmI>('GET', '/api/auth/me').then(signedIn, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) signedOut();
      else setSession({ status: 'failed', error });
    });
  }, [signedIn, signedOut]);

  const { path } = location;
  const wantsLogin = path === '/login';
  useEffect(() => {
    if (session.status === 'anonymous' && !wantsLogin) {
      const next = path === '/' || path === '/app' ? '' : `?next=${encodeURIComponent(location.href)}`;
      navigate(`/login${next}`, { replace: true });
    }
    if (session.status === 'in' && (wantsLogin || path === '/' || path === '/app')) {
      navigate(HOME, { replace: true });
    }
  }, [session.status, wantsLogin, path, location.href]);

  if (session.status === 'loading') return <p className="boot">Loading Retailos…</p>;
  if (session.status === 'failed') {
    return (
      <main className="boot">
        <ErrorMessage title="Retailos could not start" error={session.error} />
      </main>
    );
  }
  if (session.status === 'anonymous') {
    if (!wantsLogin) return null;
    const next = location.params.get('next');
    return <LoginPage onLoggedIn={(me) => (signedIn(me), goNext(next))} />;
  }
  if (wantsLogin || path === '/' || path === '/app') return null;
  return (
    <Shell me={session.me} onLoggedOut={signedOut}>
      {page(path)}
    </Shell>
  );
}

/** Only an in-app path: never an open redirect to another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/app/') && !next.startsWith('//') ? next : HOME;
}

/**
 * After logging in: back where the login was asked for. Shopify's OAuth callback is a server page on
 * this origin (a full load finishes the connect); anything else is an in-app path or home.
 */
function goNext(next: string | null): void {
  if (next?.startsWith('/shopify/callback?')) window.location.assign(next);
  else navigate(safeNext(next), { replace: true });
}
