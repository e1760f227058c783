import { errorFor, type FieldErrors } from './field-errors.ts';
import { TextArea, TextField } from './fields.tsx';

interface Props<D> {
  draft: D;
  errors: FieldErrors;
  set: (patch: Partial<D>) => void;
}

/** Email and phone fields of a customer or an order (inside the caller's field grid). */
export function EmailPhoneFields<D extends { email: string; phone: string }>({
  draft,
  errors,
  set,
}: Props<D>) {
  return (
    <>
      <TextField
        id="email"
        label="Email"
        type="email"
        value={draft.email}
        error={errorFor(errors, 'email')}
        onChange={(email) => set({ email } as Partial<D>)}
      />
      <TextField
        id="phone"
        label="Phone"
        type="tel"
        value={draft.phone}
        error={errorFor(errors, 'phone')}
        onChange={(phone) => set({ phone } as Partial<D>)}
      />
    </>
  );
}

/** Tags (comma-separated, `tagsHint` an example) and note fields of a customer or an order. */
export function TagsNoteFields<D extends { tags: string; note: string }>({
  draft,
  errors,
  set,
  tagsHint,
}: Props<D> & { tagsHint: string }) {
  return (
    <>
      <TextField
        id="tags"
        label="Tags"
        hint={tagsHint}
        value={draft.tags}
        error={errorFor(errors, 'tags')}
        onChange={(tags) => set({ tags } as Partial<D>)}
      />
      <TextArea
        id="note"
        label="Note"
        value={draft.note}
        error={errorFor(errors, 'note')}
        onChange={(note) => set({ note } as Partial<D>)}
      />
    </>
  );
}
