import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { useLocation } from '../router.ts';
import type { WhoAmI } from '../types.ts';
import { ErrorMessage } from './error-message.tsx';
import { Link } from './link.tsx';

const SECTIONS: { heading: string; links: { to: string; label: string }[] }[] = [
  {
    heading: 'Back office',
    links: [
      { to: '/app/products', label: 'Products' },
      { to: '/app/customers', label: 'Customers' },
      { to: '/app/orders', label: 'Orders' },
    ],
  },
  { heading: 'App', links: [{ to: '/app/shopify', label: 'Shopify' }] },
];

/** The frame around every logged-in page: top bar with the tenant and user, navigation, main content. */
export function Shell({
  me,
  onLoggedOut,
  children,
}: {
  me: WhoAmI;
  onLoggedOut: () => void;
  children: ReactNode;
}) {
  const { path } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const logout = (): void => {
    setError(null);
    api('POST', '/api/auth/logout').then(onLoggedOut, setError);
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Retailos</span>
        <span className="tenant">{me.tenant.name}</span>
        <span className="spacer" />
        <span className="user">{me.user.email}</span>
        <button type="button" className="button button-quiet" onClick={logout}>
          Log out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        {SECTIONS.map((s) => (
          <div key={s.heading} className="nav-section">
            <h2 className="nav-heading">{s.heading}</h2>
            <ul>
              {s.links.map((l) => (
                <li key={l.to}>
                  <Link
                    to={l.to}
                    className="nav-link"
                    aria-current={path === l.to ? 'page' : path.startsWith(`${l.to}/`) ? 'true' : undefined}
                  >
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <ErrorMessage title="Could not log out" error={error} />
        {children}
      </main>
    </div>
  );
}
