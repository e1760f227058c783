import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { APP_ROOT } from '../../app-root.ts';

/** Where `npm run build:web` writes the browser UI (web/dist at the repository root). */
export const DEFAULT_WEB_DIST_DIR = join(APP_ROOT, 'web/dist');

export interface WebUiOptions {
  /** The Vite build output: index.html and assets/. */
  distDir: string;
}

/** Paths the single-page app owns; everything else (/api, /webhooks, /shopify/callback, /healthz…) is not touched. */
export const SPA_PATHS = ['/', '/login', '/app', '/app/*'] as const;

/** The UI loads only its own scripts, styles and API; it is never framed. */
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
} as const;

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web UI not built — Retailos</title>
<style>body{font:16px system-ui,sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}code{background:#f1f3f5;padding:.1rem .3rem}</style></head>
<body><h1>The Retailos web UI is not built</h1>
<p>The server and its API under <code>/api</code> are running, but the browser UI has not been built on this machine.</p>
<p>Run <code>npm run build:web</code> (<code>npm install</code> runs it too), then restart the server.</p></body></html>`;

function sendNotBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .headers({ ...HTML_HEADERS, 'cache-control': 'no-store', 'retry-after': '60' })
    .send(NOT_BUILT_PAGE);
}

async function readIndex(indexFile: string): Promise<Buffer | undefined> {
  try {
    return await readFile(indexFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Serves the browser UI: hashed build assets under /assets/ (cached for a year) and index.html for
 * the app's own paths, which the client-side router takes from there. Without a build, those paths
 * answer a 503 page saying how to build it; the API is unaffected either way. Calling it twice on the
 * same app is a no-op, so a test may register it before the app does.
 */
export function registerWebUi(app: FastifyInstance, { distDir }: WebUiOptions): void {
  if (app.hasDecorator('webUiDistDir')) return;
  app.decorate('webUiDistDir', distDir);
  const indexFile = join(distDir, 'index.html');
  const assetsDir = join(distDir, 'assets');
  void app.register(async (ui) => {
    if (existsSync(assetsDir)) {
      await ui.register(fastifyStatic, {
        root: assetsDir,
        prefix: '/assets/',
        index: false,
        maxAge: '365d',
        immutable: true,
        decorateReply: false,
      });
    }
    for (const url of SPA_PATHS) {
      ui.get(url, async (_request, reply) => {
        const html = await readIndex(indexFile);
        return html ? reply.headers(HTML_HEADERS).send(html) : sendNotBuilt(reply);
      });
    }
  });
}
