import { useEffect, useState } from 'react';
import { fieldErrorsOf, saveFailureMessage, type FieldErrors } from './field-errors.ts';
import type { SaveState } from './record-frame.tsx';

/**
 * A record page's form state: the draft (kept in step with the record as loaded), the errors by field,
 * the save state and a version the sync-state panel reloads on. `run` wraps one save: errors cleared,
 * "Saving…", and a refusal mapped to its fields (an error's own `fields` first).
 */
export function useRecordForm<R extends object | null, D>(record: R, draftOf: (r: R) => D) {
  const [draft, setDraft] = useState<D>(() => draftOf(record));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (record) setDraft(draftOf(record));
    // The draft follows the record (draftOf is a pure mapping, a new function each render).
  }, [record]);

  const set = (patch: Partial<D>): void => setDraft((d) => ({ ...d, ...patch }));
  const fail = (err: unknown, known: FieldErrors = fieldErrorsOf(err)): void => {
    setErrors(known);
    setSave({ status: 'failed', message: saveFailureMessage(err, known) });
  };
  /** The save went through (`bump`: the record changed, so the sync state is read again). */
  const saved = (message: string, bump = true): void => {
    if (bump) setVersion((v) => v + 1);
    setSave({ status: 'saved', message });
  };
  async function run(work: () => Promise<void>): Promise<void> {
    setErrors({});
    setSave({ status: 'saving' });
    try {
      await work();
    } catch (err) {
      fail(err, (err as { fields?: FieldErrors }).fields ?? fieldErrorsOf(err));
    }
  }
  const discard = (): void => {
    setDraft(draftOf(record));
    setErrors({});
    setSave({ status: 'idle' });
  };
  return { draft, set, errors, save, setSave, version, fail, saved, run, discard };
}
