import { z } from 'zod';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why Postgres cannot store `s` as text, or undefined when it can: a text value holds no NUL byte, and
 * a lone UTF-16 surrogate (JSON's "\ud800") has no UTF-8 encoding. Either one reaching a query is a
 * database error, so the edge refuses it first.
 */
export function unstorableText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL byte (\\u0000), which text cannot hold';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate, which is not valid Unicode';
  return undefined;
}

/**
 * The one refinement every request passes through (the app's validator compiler puts it in front of
 * each route's params, query and body schema, so a new route has it without asking): every string at
 * any depth, keys included, must be storable text; and nothing nests deeper than MAX_DEPTH (no
 * request schema comes near it). Walks iteratively, so deep nesting cannot overflow the stack.
 */
export const MAX_DEPTH = 32;

export const storableStrings = z.unknown().superRefine((input, ctx) => {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path } = item;
    if (path.length > MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `nested deeper than ${MAX_DEPTH} levels`, path });
      return;
    }
    if (typeof value === 'string') {
      const reason = unstorableText(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason, path });
    } else if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        const reason = unstorableText(k);
        if (reason) ctx.addIssue({ code: 'custom', message: `a key ${reason}`, path });
        stack.push({ value: v, path: [...path, k] });
      }
    }
  }
});
