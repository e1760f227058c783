import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Badge, type Tone } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { formatCount, formatDate, formatDuration, humanize } from '../format.ts';
import type { Page } from '../types.ts';

interface Subscription {
  topic: string;
  state: 'active' | 'missing' | 'failing';
  last_delivery_at: string | null;
  deliveries_24h: number;
  failures_24h: number;
  lag_p50_ms: number | null;
}

interface Health {
  subscriptions: Subscription[];
  unknown_topics_24h: number;
  inbox: { pending: number; oldest_pending_age_seconds: number | null };
  outbox: { waiting: number; oldest_age_seconds: number | null };
  dead_letters: { open: number };
  throttle: { maximum_available: number; currently_available: number; restore_rate: number } | null;
}

interface DeadLetter {
  id: number;
  direction: 'inbound' | 'outbound';
  entity: string;
  display_name: string;
  error_class: string;
  last_error: string;
  attempts: number;
  last_failed_at: string;
  waiting_changes: number;
}

const SUB_TONE: Record<Subscription['state'], Tone> = {
  active: 'success',
  missing: 'critical',
  failing: 'warning',
};
export const HEALTH_POLL_MS = 5000;

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function backlog(n: number, age: number | null): string {
  return n === 0 ? 'none' : `${formatCount(n)} (oldest ${formatDuration(age ?? 0)})`;
}

/** Sync Health: webhook subscriptions, backlogs, the cost budget and the dead letters (replay or discard each). */
export function SyncHealthPanel() {
  const [health, setHealth] = useState<Health | null>(null);
  const [letters, setLetters] = useState<DeadLetter[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (): Promise<void> => {
    try {
      const [h, l] = await Promise.all([
        api<Health>('GET', '/api/shopify/health'),
        api<Page<DeadLetter>>('GET', '/api/shopify/dead-letters?state=open&limit=50'),
      ]);
      setHealth(h);
      setLetters(l.items);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      await load();
      if (!stopped) timer = setTimeout(() => void tick(), HEALTH_POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  const settle = async (path: string): Promise<void> => {
    setBusy(true);
    try {
      await api('POST', path, {});
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const notActive = health?.subscriptions.filter((s) => s.state !== 'active') ?? [];
  return (
    <section className="card" aria-labelledby="health-title">
      <header className="card-header">
        <h2 id="health-title">Sync health</h2>
        {health ? (
          <Badge tone={notActive.length === 0 && letters.length === 0 ? 'success' : 'warning'}>
            {notActive.length === 0 && letters.length === 0 ? 'Healthy' : 'Needs attention'}
          </Badge>
        ) : null}
      </header>
      <ErrorMessage title="Could not load the sync health" error={error} />
      {health ? (
        <dl className="facts">
          <Fact label="Webhook subscriptions">
            {`${health.subscriptions.length - notActive.length} of ${health.subscriptions.length} active`}
          </Fact>
          <Fact label="Webhooks waiting">
            {backlog(health.inbox.pending, health.inbox.oldest_pending_age_seconds)}
          </Fact>
          <Fact label="Changes waiting to push">
            {backlog(health.outbox.waiting, health.outbox.oldest_age_seconds)}
          </Fact>
          <Fact label="Shopify budget">
            {health.throttle
              ? `${formatCount(Math.round(health.throttle.currently_available))} / ${formatCount(health.throttle.maximum_available)} points`
              : '—'}
          </Fact>
          <Fact label="Unknown topics (24 h)">{formatCount(health.unknown_topics_24h)}</Fact>
        </dl>
      ) : null}
      {notActive.length > 0 ? (
        <ul className="plain-list" aria-label="Subscriptions needing attention">
          {(['missing', 'failing'] as const).map((state) => {
            const subs = notActive.filter((s) => s.state === state);
            if (subs.length === 0) return null;
            return (
              <li key={state}>
                <Badge tone={SUB_TONE[state]}>{`${humanize(state)} (${subs.length})`}</Badge>{' '}
                {subs
                  .map((s) =>
                    s.failures_24h > 0 ? `${s.topic} (${s.failures_24h} failures in 24 h)` : s.topic,
                  )
                  .join(', ')}
                {state === 'missing' ? ' — re-registered by the hourly check while connected.' : ''}
              </li>
            );
          })}
        </ul>
      ) : null}
      <h3 id="dead-letters-title" className="card-section-title">
        Dead letters
      </h3>
      {letters.length === 0 ? (
        <p className="muted">None: every change reached its side.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" aria-labelledby="dead-letters-title">
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Error</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last failed</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {letters.map((l) => (
                  <tr key={l.id}>
                    <th scope="row">
                      <span className="cell-main">{l.display_name}</span>
                      <span className="cell-sub">
                        {humanize(l.entity)}
                        {l.waiting_changes > 0 ? ` · ${l.waiting_changes} later changes waiting` : ''}
                      </span>
                    </th>
                    <td>{l.direction === 'outbound' ? 'To Shopify' : 'From Shopify'}</td>
                    <td>
                      <span className="cell-main">{l.last_error}</span>
                      <span className="cell-sub">{l.error_class}</span>
                    </td>
                    <td className="num">{formatCount(l.attempts)}</td>
                    <td>{formatDate(l.last_failed_at)}</td>
                    <td>
                      <div className="button-row">
                        <button
                          type="button"
                          className="button"
                          disabled={busy}
                          onClick={() => void settle(`/api/shopify/dead-letters/${l.id}/replay`)}
                        >
                          Replay
                        </button>
                        <button
                          type="button"
                          className="button button-quiet"
                          disabled={busy}
                          onClick={() => void settle(`/api/shopify/dead-letters/${l.id}/discard`)}
                        >
                          Discard
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void settle('/api/shopify/dead-letters/replay')}
            >
              Replay all
            </button>
          </div>
        </>
      )}
    </section>
  );
}
