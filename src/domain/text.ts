/** Tags: trimmed, non-empty, unique (case-insensitively, first spelling kept), sorted. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const t = raw.trim();
    if (t && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A URL handle from a title, as Shopify makes them: lowercase letters/digits joined by single dashes. */
export function handleFromTitle(title: string): string {
  const h = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return h || 'product';
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
