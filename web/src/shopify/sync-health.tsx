import type { ReactNode } from 'react';
import { Badge, type Tone } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatCount, formatDate, formatDuration, humanize } from '../format.ts';
import {
  budgetUsed,
  formatLag,
  subscriptionNotes,
  topicName,
  type Health,
  type ImportRunHealth,
  type Subscription,
} from './health-model.ts';
import { tone as importTone } from './import-progress.tsx';
import { ReconciliationCard } from './reconciliation-card.tsx';
import { usePoll } from './use-poll.ts';
import { HEALTH_POLL_MS, loadHealth, VerdictView } from './verdict-card.tsx';
import { TableHead } from '../components/table-head.tsx';

export const SUBSCRIPTION_TONE: Record<Subscription['state'], Tone> = {
  active: 'success',
  missing: 'critical',
  failing: 'warning',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function backlog(n: number, age: number | null): string {
  return n === 0 ? 'None' : `${formatCount(n)} (oldest ${formatDuration(age ?? 0)})`;
}

function SubscriptionRow({ s }: { s: Subscription }) {
  const notes = subscriptionNotes(s, formatDate);
  return (
    <tr data-topic={s.topic}>
      <th scope="row">
        <span className="cell-main">{topicName(s.topic)}</span>
        {notes.map((n) => (
          <span key={n} className="cell-sub">
            {n}
          </span>
        ))}
      </th>
      <td>
        <Badge tone={SUBSCRIPTION_TONE[s.state]}>{humanize(s.state)}</Badge>
      </td>
      <td>{formatDate(s.last_delivery_at)}</td>
      <td className="num">{formatCount(s.deliveries_24h)}</td>
      <td className="num">{formatCount(s.failures_24h)}</td>
      <td className="num">{formatLag(s.lag_p50_ms)}</td>
      <td className="num">{formatLag(s.lag_p99_ms)}</td>
    </tr>
  );
}

function Subscriptions({ subs }: { subs: Subscription[] }) {
  const order = { missing: 0, failing: 1, active: 2 } as const;
  const sorted = [...subs].sort((a, b) => order[a.state] - order[b.state]);
  const active = subs.filter((s) => s.state === 'active').length;
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <header className="card-header">
        <h2 id="webhooks-title">Webhooks</h2>
        <span className="muted">{`${active} of ${subs.length} active`}</span>
      </header>
      <p className="muted">
        Checked against Shopify every 5 minutes; a missing webhook is registered again at once and what
        changed meanwhile is read back from Shopify (the back-fill). Lag: from Shopify’s trigger to arrival.
      </p>
      <div className="table-wrap">
        <table className="table" aria-labelledby="webhooks-title">
          <TableHead
            columns={[
              'Topic',
              'State',
              'Last delivery',
              'Deliveries 24 h',
              'Failures 24 h',
              'Lag p50',
              'Lag p99',
            ]}
            num={['Deliveries 24 h', 'Failures 24 h', 'Lag p50', 'Lag p99']}
          />
          <tbody>
            {sorted.map((s) => (
              <SubscriptionRow key={s.topic} s={s} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Queues({ h }: { h: Health }) {
  const t = h.throttle;
  return (
    <section className="card" aria-labelledby="queues-title">
      <header className="card-header">
        <h2 id="queues-title">Queues and budget</h2>
      </header>
      <dl className="facts">
        <Fact label="Webhooks waiting">{backlog(h.inbox.pending, h.inbox.oldest_pending_age_seconds)}</Fact>
        <Fact label="Pushes waiting">{backlog(h.outbox.waiting, h.outbox.oldest_age_seconds)}</Fact>
        <Fact label="Dead letters">
          {h.dead_letters.open === 0 ? (
            'None open'
          ) : (
            <Link to="/app/shopify/dead-letters">{`${formatCount(h.dead_letters.open)} open`}</Link>
          )}
        </Fact>
        <Fact label="Shopify rate limit">
          {t
            ? `${budgetUsed(t)}% in use (${formatCount(Math.round(t.currently_available))} of ${formatCount(t.maximum_available)} points free, ${formatCount(t.restore_rate)}/s back)`
            : 'No reading yet'}
        </Fact>
        {t ? (
          <Fact label={`Calls since ${formatDate(t.since)}`}>
            {`${formatCount(t.calls)} (${formatCount(t.throttled)} throttled)`}
          </Fact>
        ) : null}
        <Fact label="Unknown topics (24 h)">{formatCount(h.unknown_topics_24h)}</Fact>
      </dl>
    </section>
  );
}

function ImportCard({ run }: { run: ImportRunHealth | null }) {
  return (
    <section className="card" aria-labelledby="health-import-title">
      <header className="card-header">
        <h2 id="health-import-title">Import</h2>
        {run ? <Badge tone={importTone(run.state)}>{humanize(run.state)}</Badge> : null}
      </header>
      {run ? (
        <>
          {run.reason ? (
            <p className="alert alert-warning">
              <strong className="alert-title">Last error</strong> {run.reason}
            </p>
          ) : null}
          <dl className="facts">
            <Fact label="Records">
              {run.total === null
                ? formatCount(run.done)
                : `${formatCount(run.done)} / ${formatCount(run.total)}`}
            </Fact>
            <Fact label="Started">{formatDate(run.started_at)}</Fact>
            <Fact label="Last progress">{formatDate(run.updated_at)}</Fact>
            <Fact label="Finished">{formatDate(run.finished_at)}</Fact>
          </dl>
          <ul className="plain-list import-resources" aria-label="Import by resource">
            {run.resources.map((r) => (
              <li key={r.resource}>
                <strong>{humanize(r.resource)}</strong>
                {` ${humanize(r.state)}, ${formatCount(r.done)}${r.total === null ? '' : ` / ${formatCount(r.total)}`}`}
                {r.reason ? ` — ${r.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No import yet: it starts when a store is connected.</p>
      )}
    </section>
  );
}

/**
 * App › Shopify › Sync Health: one verdict in words, then each webhook subscription (state, deliveries,
 * failures, lag, re-registration and back-fill), the queues and the rate-limit budget, the import and
 * reconciliation. Refreshed every 5 seconds.
 */
export function SyncHealthTab() {
  const health = usePoll(loadHealth, HEALTH_POLL_MS);
  const h = health.data;
  return (
    <>
      <ErrorMessage title="Could not load the sync health" error={health.error} />
      {h === null ? (
        health.error ? null : (
          <p className="muted" role="status">
            Loading the sync health…
          </p>
        )
      ) : (
        <>
          <section className="card" aria-labelledby="verdict-title">
            <header className="card-header">
              <h2 id="verdict-title">Verdict</h2>
              <span className="muted">{`Updated ${formatDate(health.at?.toISOString())}, every ${HEALTH_POLL_MS / 1000} s`}</span>
            </header>
            <VerdictView verdict={h.verdict} headingId="verdict-title" />
            {h.verdict.level === 'off' ? (
              <p>
                Connect a store on the <Link to="/app/shopify">Overview</Link>.
              </p>
            ) : null}
          </section>
          {h.verdict.level === 'off' ? null : <Subscriptions subs={h.subscriptions} />}
          <Queues h={h} />
          <ImportCard run={h.import} />
          <ReconciliationCard rec={h.reconciliation} headingId="health-reconciliation-title" />
        </>
      )}
    </>
  );
}
