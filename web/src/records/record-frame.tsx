import type { FormEvent, ReactNode } from 'react';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import type { Loaded } from './use-record.ts';

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved'; message: string }
  | { status: 'failed'; message: string };

/**
 * A record page: breadcrumb back to its list, the title, badges, the form under a toolbar that stays on
 * screen (Save, Discard, and the outcome of the last save, announced to screen readers), the sync aside.
 */
export function RecordFrame({
  list,
  title,
  badges,
  save,
  dirty,
  onSubmit,
  onDiscard,
  saveLabel = 'Save',
  children,
  aside,
}: {
  list: { to: string; label: string };
  title: string;
  badges?: ReactNode;
  save: SaveState;
  dirty: boolean;
  onSubmit: () => void;
  onDiscard?: () => void;
  saveLabel?: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSubmit();
  };
  const buttons = (
    <div className="button-row record-actions">
      {onDiscard && dirty ? (
        <button type="button" className="button button-quiet" onClick={onDiscard}>
          Discard changes
        </button>
      ) : null}
      <button type="submit" className="button button-primary" disabled={save.status === 'saving'}>
        {save.status === 'saving' ? 'Saving…' : saveLabel}
      </button>
    </div>
  );
  return (
    <section className="page record-page" aria-labelledby="page-title">
      <header className="page-header record-header">
        <p className="breadcrumb">
          <Link to={list.to}>{list.label}</Link> ›
        </p>
        <div className="record-title-row">
          <h1 id="page-title">{title}</h1>
          {badges ? <div className="record-badges">{badges}</div> : null}
        </div>
      </header>
      <div className="record-layout">
        <form className="record-main" onSubmit={submit} noValidate aria-labelledby="page-title">
          <div className="record-toolbar">
            <p className="record-save-status" role="status">
              {save.status === 'saved'
                ? save.message
                : save.status !== 'failed' && dirty
                  ? 'Unsaved changes.'
                  : ''}
            </p>
            {buttons}
          </div>
          {save.status === 'failed' ? (
            <div className="alert alert-error" role="alert">
              <span className="alert-message">{save.message}</span>
            </div>
          ) : null}
          {children}
        </form>
        {aside ? (
          <aside className="record-aside" aria-label="Shopify sync">
            {aside}
          </aside>
        ) : null}
      </div>
    </section>
  );
}

/** What a record page shows while its record loads or when it cannot be read. */
export function RecordLoading<T>({
  state,
  noun,
  list,
}: {
  state: Exclude<Loaded<T>, { status: 'ready' }>;
  noun: string;
  list: { to: string; label: string };
}) {
  return (
    <section className="page" aria-labelledby="page-title">
      <p className="breadcrumb">
        <Link to={list.to}>{list.label}</Link> ›
      </p>
      <h1 id="page-title">
        {state.status === 'loading' ? `Loading ${noun}…` : `Could not open this ${noun}`}
      </h1>
      {state.status === 'failed' ? <ErrorMessage error={state.error} /> : null}
    </section>
  );
}
