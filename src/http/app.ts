import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import type { Registry } from 'prom-client';
import type { CoreDeps } from '../deps.ts';
import { authenticate } from './auth/authenticate.ts';
import { HttpError } from './errors.ts';
import { storableStrings } from './schemas/storable.ts';
import { DEFAULT_LOGIN_THROTTLE, type ThrottlePolicy } from './auth/login-throttle.ts';
import { installErrorHandling } from './plugins/error-handler.ts';
import { createMetricsRegistry, instrumentRequests } from './plugins/metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { DEFAULT_WEB_DIST_DIR, registerWebUi } from './plugins/web-ui.ts';
import { enforceStrictBodies } from './plugins/strict-body.ts';
import { installSecurityHeaders } from './plugins/security-headers.ts';
import { registerLoginRoute } from './routes/auth-login.ts';
import { registerLogoutRoute } from './routes/auth-logout.ts';
import { registerMeRoute } from './routes/auth-me.ts';
import { registerHealthRoute } from './routes/health.ts';
import { registerReadyRoute, type ReadinessCheck } from './routes/health-ready.ts';
import { apiRouteModules, browserRouteModules, publicRouteModules } from './routes/index.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerOpenApiRoute } from './routes/openapi.ts';
import { registerTokenCreateRoute } from './routes/tokens-create.ts';
import { registerTokenListRoute } from './routes/tokens-list.ts';
import { registerTokenRevokeRoute } from './routes/tokens-revoke.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export type AppDeps = CoreDeps & {
  /** Prometheus registry to expose; a fresh one per app when absent (tests build many apps). */
  metrics?: Registry;
  /** Readiness checks besides the database's `select 1`, e.g. `{ queue: … }`. */
  readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Bytes; larger bodies answer 413 payload_too_large. */
  bodyLimit?: number;
  loginThrottle?: ThrottlePolicy;
  /** The built UI; web/dist by default (the browser test passes its own fresh build). */
  webDistDir?: string;
};

/**
 * Every route's params, query and body schema, behind the shared refinement that refuses text Postgres
 * cannot store (a NUL byte, a lone surrogate) with a 422 naming the field, before the route runs.
 */
const storableValidatorCompiler: typeof validatorCompiler = (route) =>
  validatorCompiler({ ...route, schema: storableStrings.pipe(route.schema as $ZodType) });

/** /api: login and the OpenAPI document are public; everything else needs a session or a token. */
function registerApi(api: FastifyInstance, deps: AppDeps): void {
  registerLoginRoute(api, deps, deps.loginThrottle ?? DEFAULT_LOGIN_THROTTLE);
  registerOpenApiRoute(api);
  void api.register(async (authed) => {
    authed.addHook('onRequest', authenticate(deps));
    registerLogoutRoute(authed, deps);
    registerMeRoute(authed, deps);
    registerTokenCreateRoute(authed, deps);
    registerTokenListRoute(authed, deps);
    registerTokenRevokeRoute(authed, deps);
    for (const routes of apiRouteModules) routes(authed, deps);
  });
}

/** The HTTP server, ready for `listen()` or `inject()`; nothing is global, so tests can build many. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy === 'true',
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
  });
  app.setValidatorCompiler(storableValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body answers 415 (and cross-site forms cannot post JSON).
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);
  installSecurityHeaders(app);
  // Declared up front so every request object has the same shape; set by authenticate().
  app.decorateRequest('auth', null as never);
  enforceStrictBodies(app);
  const registry = deps.metrics ?? createMetricsRegistry();
  instrumentRequests(app, registry);
  void app.register(fastifyCookie);
  registerOpenApi(app);
  registerWebUi(app, { distDir: deps.webDistDir ?? DEFAULT_WEB_DIST_DIR });
  void app.register(async (root) => {
    registerHealthRoute(root);
    registerReadyRoute(root, { db: deps.db, checks: deps.readiness ?? {} });
    registerMetricsRoute(root, registry);
    for (const routes of publicRouteModules) routes(root, deps);
    await root.register(async (api) => registerApi(api, deps), { prefix: '/api' });
    await root.register(async (browser) => {
      const auth = authenticate(deps);
      // A browser page (Shopify's OAuth callback) reached without a session, one that ended while the
      // merchant was on Shopify's consent screen, say: log in first, then come back to the same URL.
      browser.addHook('onRequest', async (req, reply) => {
        try {
          await auth(req);
        } catch (err) {
          if (!(err instanceof HttpError) || err.kind !== 'unauthenticated') throw err;
          return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 302);
        }
      });
      for (const routes of browserRouteModules) routes(browser, deps);
    });
  });
  return app;
}
