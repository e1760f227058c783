const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A small, self-contained page for outcomes a browser lands on (OAuth callback refusals). */
export function resultPage(title: string, message: string, code?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Retailos</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}code{background:#f1f3f5;padding:.1rem .3rem}a{color:#0b66c3}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${code ? `<p>Code: <code>${escapeHtml(code)}</code></p>` : ''}
<p><a href="/app/shopify">Back to App &gt; Shopify</a></p></body></html>`;
}
