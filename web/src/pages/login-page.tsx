import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { loginFailureMessage } from '../auth/login-message.ts';
import type { WhoAmI } from '../types.ts';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (me: WhoAmI) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api<WhoAmI>('POST', '/api/auth/login', { email, password }).then(onLoggedIn, (err: unknown) => {
      setError(loginFailureMessage(err));
      setBusy(false);
    });
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <p className="brand">Retailos</p>
        <h1 id="login-title">Log in</h1>
        {error ? (
          <div className="alert alert-error" role="alert">
            <strong className="alert-title">Could not log in</strong>
            <span className="alert-message">{error}</span>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
