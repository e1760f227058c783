import type { ReactNode } from 'react';

interface Common {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  className?: string | undefined;
}

/** The hint and error below a control, linked to it by aria-describedby; the error is announced. */
function Below({ id, error, hint }: Pick<Common, 'id' | 'error' | 'hint'>) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

const describedBy = ({ id, error, hint }: Pick<Common, 'id' | 'error' | 'hint'>): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextField({
  value,
  onChange,
  type = 'text',
  inputMode,
  autoComplete,
  required,
  readOnly,
  ...c
}: Common & {
  value: string;
  onChange: (v: string) => void;
  type?: 'text' | 'email' | 'tel' | 'number';
  inputMode?: 'decimal' | 'numeric' | 'text';
  autoComplete?: string;
  required?: boolean;
  readOnly?: boolean;
}) {
  return (
    <div className={`field ${c.className ?? ''}`}>
      <label htmlFor={c.id}>{c.label}</label>
      <input
        id={c.id}
        type={type}
        value={value}
        inputMode={inputMode}
        autoComplete={autoComplete ?? 'off'}
        required={required}
        readOnly={readOnly}
        aria-invalid={c.error ? true : undefined}
        aria-describedby={describedBy(c)}
        onChange={(e) => onChange(e.target.value)}
      />
      <Below {...c} />
    </div>
  );
}

export function TextArea({
  value,
  onChange,
  rows = 3,
  ...c
}: Common & { value: string; onChange: (v: string) => void; rows?: number }) {
  return (
    <div className={`field ${c.className ?? ''}`}>
      <label htmlFor={c.id}>{c.label}</label>
      <textarea
        id={c.id}
        value={value}
        rows={rows}
        aria-invalid={c.error ? true : undefined}
        aria-describedby={describedBy(c)}
        onChange={(e) => onChange(e.target.value)}
      />
      <Below {...c} />
    </div>
  );
}

export function SelectField({
  value,
  onChange,
  options,
  ...c
}: Common & { value: string; onChange: (v: string) => void; options: { value: string; label: string }[] }) {
  return (
    <div className={`field ${c.className ?? ''}`}>
      <label htmlFor={c.id}>{c.label}</label>
      <select
        id={c.id}
        value={value}
        aria-invalid={c.error ? true : undefined}
        aria-describedby={describedBy(c)}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Below {...c} />
    </div>
  );
}

/** A titled card section of a record page. */
export function Section({
  title,
  id,
  actions,
  children,
}: {
  title: string;
  id: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card record-section" aria-labelledby={id}>
      <div className="card-header">
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
