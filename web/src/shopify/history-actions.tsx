import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { actionOf, fieldLabel, shown, type HistoryEntryRef, type Kind } from './history-actions-model.ts';

/**
 * Revert / Redo of one Sync History entry (POST /api/shopify/history/:id/revert | /redo). A button opens
 * a modal confirmation; it first asks the API for a dry run, then lists the fields the action moves and
 * the fields changed again since the entry (with their current values), which confirming overwrites.
 * Buttons are disabled while a request is in flight, so a double click makes one change.
 */
export type { HistoryEntryRef } from './history-actions-model.ts';

interface ChangedSince {
  path: string;
  entry_value: unknown;
  current: unknown;
  revert_to: unknown;
}

interface RevertResult {
  entry: { id: number } | null;
  fields: { path: string; from: unknown; to: unknown }[];
  skipped: { path: string; reason: string }[];
  changed_since: ChangedSince[];
}

/** The fields a 409 changed_since names (they changed between the dry run and the confirmation). */
function changedSinceOf(err: unknown): ChangedSince[] | null {
  if (!(err instanceof ApiError) || err.code !== 'changed_since') return null;
  const fields = (err.details as { fields?: unknown } | undefined)?.fields;
  return Array.isArray(fields) ? (fields as ChangedSince[]) : [];
}

const LABEL: Record<Kind, { button: string; doing: string; done: string; title: string }> = {
  revert: { button: 'Revert', doing: 'Reverting…', done: 'Reverted', title: 'Revert this change' },
  redo: {
    button: 'Redo',
    doing: 'Redoing…',
    done: 'Redone',
    title: 'Redo the change this revert rolled back',
  },
};

export function HistoryActions({ entry, onDone }: { entry: HistoryEntryRef; onDone: () => void }) {
  const kind = actionOf(entry);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [plan, setPlan] = useState<RevertResult | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const inFlight = useRef(false);

  useEffect(() => {
    // A modal dialog: the page behind it is inert until the merchant confirms or cancels.
    const d = dialogRef.current;
    if (open && d && !d.open) d.showModal();
    if (open) confirmRef.current?.focus();
  }, [open, plan]);

  if (!kind) return null;
  const label = LABEL[kind];
  const titleId = `history-action-title-${entry.id}`;
  const textId = `history-action-text-${entry.id}`;

  const close = (): void => {
    dialogRef.current?.close();
    setOpen(false);
    setPlan(null);
    setError(null);
    openerRef.current?.focus();
  };

  const post = (body: object) => api<RevertResult>('POST', `/api/shopify/history/${entry.id}/${kind}`, body);

  /** Opens the dialog with the dry run's plan (or the refusal, in a sentence). */
  const openDialog = (): void => {
    setDone(null);
    setPlan(null);
    setError(null);
    setOpen(true);
    setBusy(true);
    post({ dry_run: true }).then(
      (r) => {
        setBusy(false);
        setPlan(r);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  const run = (): void => {
    if (inFlight.current) return; // a second click while the first is on its way makes no second change
    inFlight.current = true;
    setBusy(true);
    setError(null);
    // The merchant saw the fields changed since in the dialog: confirming overwrites them.
    post({ confirm: (plan?.changed_since.length ?? 0) > 0 }).then(
      (r) => {
        inFlight.current = false;
        setBusy(false);
        dialogRef.current?.close();
        setOpen(false);
        setPlan(null);
        const n = r.fields.length;
        const skipped = r.skipped.map((s) => s.reason).join('; ');
        setDone(
          `${label.done}: ${n} field${n === 1 ? '' : 's'} changed.${skipped ? ` Left as is: ${skipped}.` : ''}`,
        );
        onDone();
      },
      (err: unknown) => {
        inFlight.current = false;
        setBusy(false);
        const fields = changedSinceOf(err);
        if (fields && plan) setPlan({ ...plan, changed_since: fields });
        else setError(err);
      },
    );
  };

  return (
    <div className="history-actions">
      <button
        type="button"
        className="button"
        ref={openerRef}
        disabled={busy || open}
        onClick={openDialog}
        aria-label={`${label.button} entry ${entry.id}${entry.display_name ? ` (${entry.display_name})` : ''}`}
      >
        {label.button}
      </button>
      {done ? (
        <p className="muted" role="status">
          {done}
        </p>
      ) : null}
      {open ? (
        <dialog
          ref={dialogRef}
          className="confirm"
          role="alertdialog"
          aria-labelledby={titleId}
          aria-describedby={textId}
          style={{ maxWidth: '40rem' }}
          onCancel={(e) => {
            e.preventDefault(); // Escape: closed by our state (not while a request is on its way)
            if (!busy) close();
          }}
        >
          <h3 id={titleId}>
            {label.title}
            {entry.display_name ? ` to ${entry.display_name}` : ''}?
          </h3>
          <div id={textId}>
            {plan ? (
              <>
                <p>
                  {kind === 'revert'
                    ? 'Retailos and Shopify go back to the earlier value of each field this change made:'
                    : 'Retailos and Shopify get back the values this revert rolled back:'}
                </p>
                <ul className="history-action-fields">
                  {plan.fields.map((f) => (
                    <li key={f.path}>
                      {fieldLabel(f.path)}: {shown(f.from)} → {shown(f.to)}
                    </li>
                  ))}
                  {plan.skipped.map((f) => (
                    <li key={f.path}>
                      {fieldLabel(f.path)}: left as is ({f.reason})
                    </li>
                  ))}
                </ul>
                {plan.changed_since.length > 0 ? (
                  <>
                    <p>These fields changed again since this entry. {label.button} overwrites them:</p>
                    <ul className="history-action-fields">
                      {plan.changed_since.map((f) => (
                        <li key={f.path}>
                          {fieldLabel(f.path)}: now {shown(f.current)} (this entry set {shown(f.entry_value)}
                          ), {kind === 'revert' ? 'reverting' : 'redoing'} sets {shown(f.revert_to)}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            ) : busy ? (
              <p className="muted">Checking what this changes…</p>
            ) : null}
          </div>
          <ErrorMessage title={`Could not ${label.button.toLowerCase()}`} error={error} />
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              ref={confirmRef}
              disabled={busy || !plan}
              onClick={run}
            >
              {busy && plan
                ? label.doing
                : plan && plan.changed_since.length > 0
                  ? `${label.button} anyway`
                  : label.button}
            </button>
            <button type="button" className="button" onClick={close} disabled={busy}>
              Cancel
            </button>
          </div>
        </dialog>
      ) : null}
    </div>
  );
}
