-- Failed login attempts per (client IP, email), for login rate limiting shared by every web process.
-- The key is a SHA-256 of ip + lower(email), so the table holds no addresses or emails.
create table login_attempts (
  key_hash text primary key,
  window_start timestamptz not null,
  failures integer not null check (failures >= 0)
);
create index login_attempts_window_idx on login_attempts (window_start);

-- Expired-session clean-up scans by expiry.
create index sessions_expires_idx on sessions (expires_at);
