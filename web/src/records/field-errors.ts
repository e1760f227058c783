import { ApiError } from '../api.ts';

/**
 * Errors by field key. Keys are the API's wire paths, dot-joined: `title`, `variants.0.price`,
 * `variants` (the list as a whole), `addresses.1.city`; and `stock.<variant id>.<location id>`.
 */
export type FieldErrors = Record<string, string>;

interface Issue {
  path?: unknown;
  message?: unknown;
}

const sentence = (s: string): string => {
  const t = s.trim();
  if (!t) return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** A schema message in words a merchant reads (the API's messages name the rule, not the fix). */
function issueMessage(message: string): string {
  if (message.startsWith('a non-negative decimal string')) return 'Enter an amount such as 12.50.';
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'This cannot be empty.';
  if (/^Too big: expected string to have <=(\d+) characters$/.test(message))
    return `Too long: at most ${/<=(\d+)/.exec(message)?.[1] ?? ''} characters.`;
  if (message.startsWith('Invalid email')) return 'Enter an email address such as name@example.com.';
  return sentence(message);
}

interface Problem {
  field?: unknown;
  message?: unknown;
}

/** `addresses[0].firstName` → `addresses.0.first_name`: the core's field names as wire paths. */
const wirePath = (field: string): string =>
  field.replace(/\[(\d+)\]/g, '.$1').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The core's own checks (details.problems: field and message each), by field. */
function problemsByField(problems: readonly Problem[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems)
    if (typeof p.field === 'string') out[wirePath(p.field)] ??= sentence(String(p.message ?? 'invalid'));
  return out;
}

const quoted = (xs: unknown): string => (Array.isArray(xs) ? xs.map((x) => `“${String(x)}”`).join(', ') : '');

/** The sentence and field of a refusal the API names by code (the product contract's 422s and 409s). */
function coded(err: ApiError, details: Record<string, unknown>): FieldErrors {
  switch (err.code) {
    case 'duplicate_options':
      return {
        variants: `Two variants have the same options (${quoted(details['options'])}). Give each variant its own combination of option values.`,
      };
    case 'incomplete_variant_list':
      return {
        variants:
          'This product has variants this page does not show: another change added them meanwhile. Reload the page to see them, then make your change again.',
      };
    case 'unknown_variant':
      return {
        variants:
          'A variant on this page no longer exists: another change removed it meanwhile. Reload the page, then make your change again.',
      };
    case 'duplicate_sku':
      return {
        variants: Array.isArray(details['skus'])
          ? `The SKU ${quoted(details['skus'])} is used twice. Each variant needs its own SKU.`
          : 'Another product already uses one of these SKUs. Each SKU must be unique across the catalogue.',
      };
    case 'duplicate_handle':
      return {
        title: 'Another product already has the handle made from this title. Choose another title.',
      };
    case 'duplicate_email':
      return { email: 'Another customer already has this email address.' };
    case 'negative_stock': {
      const key = `stock.${String(details['variant_id'])}.${String(details['location_id'])}`;
      const available = details['available'];
      return {
        [key]: `Stock cannot go below zero${typeof available === 'number' ? ` (${available} available now)` : ''}.`,
      };
    }
    default:
      if (Array.isArray(details['problems'])) return problemsByField(details['problems'] as Problem[]);
      return typeof details['field'] === 'string' ? { [details['field']]: sentence(err.message) } : {};
  }
}

/**
 * The field errors an API refusal carries: a schema refusal names each field (details.issues[].path),
 * a rule the API checks names its field in details.field or by its code. Empty for other errors.
 */
export function fieldErrorsOf(err: unknown): FieldErrors {
  if (!(err instanceof ApiError) || typeof err.details !== 'object' || err.details === null) return {};
  const details = err.details as Record<string, unknown>;
  const out: FieldErrors = coded(err, details);
  const issues = Array.isArray(details['issues']) ? (details['issues'] as Issue[]) : [];
  for (const i of issues) {
    const path = typeof i.path === 'string' && i.path ? i.path : '_';
    if (out[path] === undefined) out[path] = issueMessage(String(i.message ?? 'invalid'));
  }
  return out;
}

/** The error shown beside a field: its own, or the first one about something inside it (tags.3 → tags). */
export function errorFor(errors: FieldErrors, key: string): string | undefined {
  if (errors[key] !== undefined) return errors[key];
  const inside = Object.keys(errors).find((k) => k.startsWith(`${key}.`));
  return inside === undefined ? undefined : errors[inside];
}

/** The message shown at the top of a form that could not be saved. */
export function saveFailureMessage(err: unknown, errors: FieldErrors): string {
  // The edit was made from an older read of the record (the PATCH sends the version the page loaded).
  if (err instanceof ApiError && err.code === 'stale_version')
    return 'Not saved: this record changed since you opened it — reload the page to see the changes, then make your edit again.';
  const n = Object.keys(errors).length;
  if (n > 0)
    return n === 1
      ? 'Not saved: one problem, shown beside its field.'
      : `Not saved: ${n} problems, shown beside their fields.`;
  if (err instanceof ApiError && err.status === 404) return 'Not saved: this record no longer exists.';
  return `Not saved: ${err instanceof Error ? sentence(err.message) : String(err)}`;
}
