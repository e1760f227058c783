import type { DeadLetter } from './dead-letter-model.ts';

/**
 * Replay and Discard of one open dead letter. In the list (`named`) each button names its letter for
 * screen readers; on the letter's own page Replay is the primary action.
 */
export function LetterActions({
  l,
  busy,
  settle,
  named = false,
}: {
  l: Pick<DeadLetter, 'id' | 'display_name'>;
  busy: boolean;
  settle: (path: string) => Promise<void>;
  named?: boolean;
}) {
  return (
    <div className="button-row">
      <button
        type="button"
        className={named ? 'button' : 'button button-primary'}
        disabled={busy}
        aria-label={named ? `Replay ${l.display_name}` : undefined}
        onClick={() => void settle(`/api/shopify/dead-letters/${l.id}/replay`)}
      >
        Replay
      </button>
      <button
        type="button"
        className="button button-quiet"
        disabled={busy}
        aria-label={named ? `Discard ${l.display_name}` : undefined}
        onClick={() => void settle(`/api/shopify/dead-letters/${l.id}/discard`)}
      >
        Discard
      </button>
    </div>
  );
}
