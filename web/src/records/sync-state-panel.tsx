import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatDate } from '../format.ts';
import { RecordHistory } from '../shopify/sync-history.tsx';
import type { OpenDeadLetter, RecordSyncState } from '../types.ts';
import { Section } from './fields.tsx';

type Entity = RecordSyncState['entity'];

/** While a push is pending, the state is asked again this often, so the page shows when it lands. */
const PENDING_POLL_MS = 2000;

function linkText(s: RecordSyncState, noun: string): string {
  if (s.linked) return 'On Shopify';
  if (s.connection_state === null || s.connection_state === 'not_connected') return 'No store connected';
  if (s.connection_state === 'disconnected') return 'Store disconnected';
  return s.entity === 'order' ? `Only in Retailos (an ${noun} is created on Shopify)` : `Not on Shopify yet`;
}

function PushState({ s }: { s: { dead_letter: unknown; push_pending: boolean; linked: boolean } }) {
  if (s.dead_letter) return <Badge tone="critical">Push failed</Badge>;
  if (s.push_pending) return <Badge tone="warning">Push pending</Badge>;
  if (s.linked) return <Badge tone="success">Up to date</Badge>;
  return <Badge tone="neutral">Nothing to push</Badge>;
}

const stillPushing = (s: RecordSyncState): boolean =>
  (s.push_pending && !s.dead_letter) || (!!s.stock?.push_pending && !s.stock.dead_letter);

/** An open dead letter: Shopify's reason, attempts, and where to replay or discard it. */
function DeadLetter({ letter, what }: { letter: OpenDeadLetter; what: string }) {
  return (
    <div className="alert alert-error record-dead-letter">
      <strong className="alert-title">
        Shopify refused {what} ({letter.attempts} {letter.attempts === 1 ? 'attempt' : 'attempts'}, last{' '}
        {formatDate(letter.last_failed_at)}).
      </strong>
      <span className="alert-message">{letter.last_error}</span>
      <span className="alert-message">
        Later changes wait until it is replayed or discarded in{' '}
        <Link to="/app/shopify/dead-letters">Dead letters</Link>.
      </span>
    </div>
  );
}

/**
 * A record's sync with Shopify: whether it is linked, when it last synced, whether a push is pending,
 * and its open dead letter with the reason and where to act on it. Then its own Sync History.
 * `version` changes after each save, so the state is read again.
 */
export function SyncStatePanel({
  entity,
  localId,
  noun,
  version,
}: {
  entity: Entity;
  localId: string;
  noun: string;
  version: number;
}) {
  const [state, setState] = useState<RecordSyncState | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Counts the pushes seen landing: the record's Sync History is read again when one does.
  const [landed, setLanded] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasPushing = false;
    const read = (): void => {
      api<RecordSyncState>('GET', `/api/shopify/sync-state/${entity}/${localId}`).then(
        (s) => {
          if (!live) return;
          setState(s);
          setError(null);
          const pushing = stillPushing(s);
          if (wasPushing && !pushing) setLanded((n) => n + 1);
          wasPushing = pushing;
          if (pushing) timer = setTimeout(read, PENDING_POLL_MS);
        },
        (e: unknown) => live && setError(e),
      );
    };
    read();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [entity, localId, version]);

  return (
    <Section title="Shopify sync" id="sync-state-title">
      <ErrorMessage title="Could not read the sync state" error={error} />
      {state ? (
        <>
          <dl className="facts" data-testid="sync-state">
            <div>
              <dt>Shopify</dt>
              <dd>{linkText(state, noun)}</dd>
            </div>
            <div>
              <dt>Last synced</dt>
              <dd>{state.last_synced_at ? formatDate(state.last_synced_at) : 'Never'}</dd>
            </div>
            <div>
              <dt>Push</dt>
              <dd>
                <PushState s={{ ...state, linked: state.linked !== null }} />
              </dd>
            </div>
            {state.stock ? (
              <div>
                <dt>Stock</dt>
                <dd>
                  <PushState s={{ ...state.stock, linked: state.linked !== null }} />
                </dd>
              </div>
            ) : null}
          </dl>
          {state.dead_letter ? <DeadLetter letter={state.dead_letter} what={`this ${noun}`} /> : null}
          {state.stock?.dead_letter ? (
            <DeadLetter letter={state.stock.dead_letter} what="a stock change" />
          ) : null}
        </>
      ) : error ? null : (
        <p className="muted">Reading the sync state…</p>
      )}
      <h3 className="card-section-title">Sync History</h3>
      <RecordHistory key={`${version}:${landed}`} entity={entity} localId={localId} />
    </Section>
  );
}
