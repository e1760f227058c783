import { stringify } from 'lossless-json';

/**
 * `includeFields` on a subscription: keep only the listed (dotted) paths.
 * `variants.price` keeps `price` inside every element of `variants`.
 */
export function pickFields(
  payload: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  if (fields.length === 0) return payload;
  const out: Record<string, unknown> = {};
  for (const field of fields) copyPath(payload, out, field.split('.'));
  return out;
}

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || !(head in from)) return;
  const value = from[head];
  if (rest.length === 0) {
    to[head] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = Array.isArray(to[head])
      ? (to[head] as Record<string, unknown>[])
      : value.map(() => ({}));
    value.forEach((el, i) => {
      if (isObject(el) && existing[i]) copyPath(el, existing[i], rest);
    });
    to[head] = existing;
  } else if (isObject(value)) {
    const target = isObject(to[head]) ? to[head] : {};
    copyPath(value, target, rest);
    to[head] = target;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Serialises like Shopify: JSON with `/` and `&` escaped inside strings, and 64-bit ids (bigint past
 * 2^53) written with every digit.
 */
export function serializePayload(payload: unknown): string {
  return (stringify(payload) ?? 'null').replace(/\//g, '\\/').replace(/&/g, '\\u0026');
}
