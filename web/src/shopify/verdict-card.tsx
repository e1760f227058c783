import { api } from '../api.ts';
import { Badge, type Tone } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { VERDICT_LABEL, type Health, type Verdict, type VerdictLevel } from './health-model.ts';
import type { Polled } from './use-poll.ts';

export const HEALTH_POLL_MS = 5000;

export const VERDICT_TONE: Record<VerdictLevel, Tone> = {
  off: 'neutral',
  healthy: 'success',
  working: 'info',
  attention: 'warning',
  failed: 'critical',
};

export const loadHealth = (): Promise<Health> => api<Health>('GET', '/api/shopify/health');

/** The overall verdict: its level, the weightiest finding in words, and every other finding. */
export function VerdictView({ verdict, headingId }: { verdict: Verdict; headingId: string }) {
  const others = verdict.reasons.slice(1);
  return (
    <div className={`verdict verdict-${verdict.level}`} data-testid="verdict">
      <p className="verdict-summary">
        <Badge tone={VERDICT_TONE[verdict.level]}>{VERDICT_LABEL[verdict.level]}</Badge>{' '}
        <span>{verdict.summary}</span>
      </p>
      {others.length > 0 ? (
        <ul className="verdict-reasons" aria-labelledby={headingId}>
          {others.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** On the Overview: the sync's verdict (from the Overview's poll of the health), with the way to Sync Health. */
export function VerdictCard({ health }: { health: Polled<Health> }) {
  return (
    <section className="card" aria-labelledby="overview-health-title">
      <header className="card-header">
        <h2 id="overview-health-title">Sync</h2>
        <Link to="/app/shopify/health">Open Sync Health</Link>
      </header>
      <ErrorMessage title="Could not load the sync health" error={health.error} />
      {health.data ? <VerdictView verdict={health.data.verdict} headingId="overview-health-title" /> : null}
    </section>
  );
}
