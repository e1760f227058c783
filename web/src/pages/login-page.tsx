import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import type { WhoAmI } from '../types.ts';

function loginError(error: unknown): unknown {
  if (error instanceof ApiError && error.code === 'invalid_credentials') {
    return new ApiError(error.status, error.code, 'Wrong email or password. Check both and try again.');
  }
  return error;
}

export function LoginPage({ onLoggedIn }: { onLoggedIn: (me: WhoAmI) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api<WhoAmI>('POST', '/api/auth/login', { email, password }).then(onLoggedIn, (err: unknown) => {
      setError(loginError(err));
      setBusy(false);
    });
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <p className="brand">Retailos</p>
        <h1 id="login-title">Log in</h1>
        <ErrorMessage title="Could not log in" error={error} />
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
