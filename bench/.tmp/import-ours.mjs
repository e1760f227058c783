// bench/import-ours.ts
import { randomBytes } from "node:crypto";
import pino from "pino";

// src/clock.ts
var systemClock = { now: () => /* @__PURE__ */ new Date() };

// src/config.ts
import { z } from "zod";
var port = z.coerce.number().int().min(0).max(65535);
var optionalText = z.string().min(1).optional();
var SETTINGS = {
  port: { env: "PORT", schema: port.default(3e3), description: "HTTP port" },
  host: { env: "HOST", schema: z.string().min(1).default("127.0.0.1"), description: "HTTP bind address" },
  databaseUrl: {
    env: "DATABASE_URL",
    schema: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    description: "Postgres connection string; when unset, embedded PGlite in the data folder is used",
    secret: true
  },
  dataDir: {
    env: "RETAILOS_DATA_DIR",
    schema: z.string().min(1).default("./.retailos"),
    description: "Folder for embedded data (PGlite in <dir>/db, generated secret key)"
  },
  logLevel: {
    env: "LOG_LEVEL",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    description: "Log level"
  },
  logFormat: {
    env: "LOG_FORMAT",
    schema: z.enum(["json", "pretty"]).optional(),
    description: "json (default when not a terminal) or pretty"
  },
  adminEmail: {
    env: "RETAILOS_ADMIN_EMAIL",
    schema: z.email().default("admin@retailos.local"),
    description: "Owner created on first start"
  },
  adminPassword: {
    env: "RETAILOS_ADMIN_PASSWORD",
    schema: z.string().min(12).optional(),
    description: "Password of the first owner; generated and printed once when unset",
    secret: true
  },
  secretKey: {
    env: "RETAILOS_SECRET_KEY",
    schema: z.string().regex(/^[0-9a-f]{64}$/i, "must be 64 hex characters (32 bytes)").optional(),
    description: "AES-256-GCM key for secrets at rest; generated into the data folder when unset",
    secret: true
  },
  secureCookies: {
    env: "RETAILOS_SECURE_COOKIES",
    schema: z.enum(["auto", "true", "false"]).default("auto"),
    description: "Secure flag on the session cookie: auto = when the request came over https"
  },
  trustProxy: {
    env: "RETAILOS_TRUST_PROXY",
    schema: z.enum(["true", "false"]).default("false"),
    description: "Trust X-Forwarded-* headers (behind a TLS-terminating proxy)"
  },
  workerConcurrency: {
    env: "RETAILOS_WORKER_CONCURRENCY",
    schema: z.coerce.number().int().min(1).max(64).default(4),
    description: "Jobs handled at once per queue in a worker process"
  },
  shutdownTimeoutMs: {
    env: "RETAILOS_SHUTDOWN_TIMEOUT_MS",
    schema: z.coerce.number().int().min(0).default(2e4),
    description: "How long SIGTERM waits for in-flight requests and jobs to drain"
  },
  appUrl: {
    env: "APP_URL",
    schema: z.url().optional(),
    description: "Public URL of this server (Shopify redirects and webhooks)"
  },
  shopifyApiKey: { env: "SHOPIFY_API_KEY", schema: optionalText, description: "Shopify app client id" },
  shopifyApiSecret: {
    env: "SHOPIFY_API_SECRET",
    schema: optionalText,
    description: "Shopify app client secret",
    secret: true
  },
  shopifyShopOrigin: {
    env: "SHOPIFY_SHOP_ORIGIN",
    schema: z.string().regex(/^https?:\/\/[^\s]*\{shop\}[^\s]*$/, "must be a URL containing {shop}, e.g. https://{shop}").default("https://{shop}"),
    description: "Shop-origin template: https://{shop} for Shopify, http://127.0.0.1:PORT/shops/{shop} for the emulator"
  },
  shopifyApiVersion: {
    env: "SHOPIFY_API_VERSION",
    schema: z.string().regex(/^\d{4}-(01|04|07|10)$/, "must be a Shopify API version like 2026-04").default("2026-04"),
    description: "Pinned Admin API version for GraphQL calls and webhook subscriptions"
  },
  demoShopify: {
    env: "RETAILOS_DEMO_SHOPIFY",
    schema: z.enum(["auto", "off"]).default("auto"),
    description: "auto: without SHOPIFY_API_KEY/SECRET, `start` runs the Shopify emulator with a seeded demo store"
  },
  shopifyImportMode: {
    env: "SHOPIFY_IMPORT_MODE",
    schema: z.enum(["auto", "bulk", "paged"]).default("auto"),
    description: "Initial import: bulk operations, page by page within the cost budget, or auto (paged for small stores and where Shopify refuses bulk operations)"
  },
  shopifyPushQuietMs: {
    env: "SHOPIFY_PUSH_QUIET_MS",
    schema: z.coerce.number().int().min(0).max(1e4).default(150),
    description: "A push waits until its record has had no new edit for this long (ms), so a burst of edits makes one Shopify call; 0 pushes at once"
  },
  shopifyReadAllOrders: {
    env: "SHOPIFY_READ_ALL_ORDERS",
    schema: z.enum(["true", "false"]).default("false"),
    description: "Also request read_all_orders (orders older than 60 days; Shopify must have granted it to the app)"
  }
};
var ConfigError = class extends Error {
  name = "ConfigError";
};
function loadConfig(env2, overrides = {}) {
  const out = {};
  const problems = [];
  for (const [key, setting2] of Object.entries(SETTINGS)) {
    const raw = overrides[key] ?? env2[setting2.env];
    const parsed = setting2.schema.safeParse(raw === "" ? void 0 : raw);
    if (parsed.success) out[key] = parsed.data;
    else {
      const shown = setting2.secret ? "(secret, not shown)" : JSON.stringify(raw);
      problems.push(`${setting2.env}=${shown}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:
  ${problems.join("\n  ")}`);
  return out;
}

// src/db/open.ts
import { fileURLToPath } from "node:url";

// src/db/migrate.ts
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
var FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
var MIGRATION_LOCK_KEY = 727001;
function loadMigrations(dir) {
  const migrations = readdirSync(dir).filter((f) => f.endsWith(".sql")).map((file) => {
    const m = FILE.exec(file);
    if (!m?.[1] || !m[2]) throw new Error(`migration file name ${file} must look like 0001_name.sql`);
    return { id: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), "utf8") };
  }).sort((a, b) => a.id - b.id);
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (prev && prev.id === m.id) throw new Error(`two migrations are numbered ${m.id}`);
  });
  return migrations;
}
async function migrate(db2, migrations) {
  return db2.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows: rows2 } = await tx.query("select id from schema_migrations");
    const applied = new Set(rows2.map((r) => r.id));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(
        `database has migrations this build does not know (${unknown.join(", ")}); run a newer build`
      );
    }
    const done = [];
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query("insert into schema_migrations (id, name) values ($1, $2)", [m.id, m.name]);
      done.push(m.id);
    }
    return done;
  });
}

// src/db/pglite-db.ts
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync as readdirSync2, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join as join2 } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { PGlite, types } from "@electric-sql/pglite";
var LONG_PARAM = 1024;
function utf8Param(oid, prefix) {
  const usual = types.serializers[oid];
  return (v) => {
    if (typeof v !== "string" || v.length < LONG_PARAM) return usual(v);
    return Buffer.concat([Buffer.from(prefix), Buffer.from(v, "utf8")]);
  };
}
var QUERY_OPTIONS = {
  serializers: {
    [types.TEXT]: utf8Param(types.TEXT, []),
    [types.JSON]: utf8Param(types.JSON, []),
    [types.JSONB]: utf8Param(types.JSONB, [1])
  }
};
function wrap(q) {
  return {
    async query(sql, params = []) {
      const res = await q.query(sql, params, QUERY_OPTIONS);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql) {
      await q.exec(sql);
    }
  };
}
var PGLITE_SETTINGS = {
  shared_buffers: "32MB",
  ...process.env["XP_PG"] ? Object.fromEntries(process.env["XP_PG"].split(",").map((kv) => kv.split("="))) : {}
};
var startParams = () => [
  ...PGlite.defaultStartParams,
  ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ["-c", `${k}=${v}`])
];
var run = promisify(execFile);
async function initdbInChild(dataDir) {
  if (existsSync(join2(dataDir, "PG_VERSION"))) return;
  if (existsSync(dataDir) && readdirSync2(dataDir).length > 0) return;
  mkdirSync(dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.initdb-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = "const { PGlite } = await import(process.argv[1]); const pg = await PGlite.create(process.argv[2]); await pg.close();";
  try {
    await run(process.execPath, ["--input-type=module", "-e", script, pglite, staging]);
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
async function openPglite(dataDir) {
  if (dataDir) await initdbInChild(dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ ...dataDir ? { dataDir } : {}, startParams: startParams() });
  await pglite.waitReady;
  const base = wrap(pglite);
  return {
    kind: "pglite",
    pglite,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    }
  };
}

// src/db/pg-db.ts
import pg from "pg";
pg.types.setTypeParser(20, (v) => Number(v));
function wrap2(q) {
  return {
    async query(sql, params = [], options) {
      const values = params;
      const res = await (options?.name ? q.query({ name: options.name, text: sql, values }) : q.query(sql, values));
      return { rows: res.rows, rowCount: res.rowCount ?? res.rows.length };
    },
    async exec(sql) {
      await q.query(sql);
    }
  };
}
async function openPostgres(connectionString, opts) {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  pool.on("error", opts.onIdleError);
  await pool.query("select 1");
  const base = wrap2(pool);
  return {
    kind: "postgres",
    pool,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(wrap2(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((rollbackErr) => {
          throw new AggregateError([err, rollbackErr], "transaction failed and rollback failed");
        });
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    }
  };
}

// src/db/open.ts
var MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));
async function openDb(opts) {
  if (opts.databaseUrl) {
    return openPostgres(opts.databaseUrl, { max: opts.poolSize ?? 10, onIdleError: opts.onIdleError });
  }
  return openPglite(opts.dataDir);
}
async function migrateToLatest(db2) {
  return migrate(db2, loadMigrations(MIGRATIONS_DIR));
}

// src/db/shopify-connections.ts
var toConnection = (r) => ({
  id: r.id,
  tenantId: r.tenant_id,
  shop: r.shop,
  state: r.state,
  stateReason: r.state_reason,
  accessTokenSealed: r.access_token_sealed,
  refreshTokenSealed: r.refresh_token_sealed,
  accessExpiresAt: r.access_expires_at,
  refreshExpiresAt: r.refresh_expires_at,
  requestedScopes: r.requested_scopes,
  grantedScopes: r.granted_scopes,
  apiVersion: r.api_version,
  connectedAt: r.connected_at,
  updatedAt: r.updated_at,
  version: r.version
});
async function getConnection(q, tenantId2, forUpdate = false) {
  const { rows: rows2 } = await q.query(
    `select * from shopify_connections where tenant_id = $1${forUpdate ? " for update" : ""}`,
    [tenantId2]
  );
  return rows2[0] ? toConnection(rows2[0]) : void 0;
}
async function markConnecting(q, tenantId2, shop2, apiVersion, scopes, now2) {
  await q.query(
    `insert into shopify_connections (tenant_id, shop, state, requested_scopes, api_version, created_at, updated_at)
     values ($1, $2, 'connecting', $3, $4, $5, $5)
     on conflict (tenant_id) do update set shop = excluded.shop, state = 'connecting', state_reason = null,
       requested_scopes = excluded.requested_scopes, api_version = excluded.api_version, updated_at = excluded.updated_at,
       version = shopify_connections.version + 1`,
    [tenantId2, shop2, scopes, apiVersion, now2]
  );
}
async function storeTokens(q, tenantId2, tokens, grantedScopes, state, now2) {
  await q.query(
    `update shopify_connections set access_token_sealed = $2, refresh_token_sealed = $3, access_expires_at = $4,
       refresh_expires_at = $5, granted_scopes = $6, state = $7, state_reason = null,
       connected_at = coalesce(connected_at, $8), updated_at = $8, version = version + 1
     where tenant_id = $1`,
    [
      tenantId2,
      tokens.accessTokenSealed,
      tokens.refreshTokenSealed,
      tokens.accessExpiresAt,
      tokens.refreshExpiresAt,
      grantedScopes,
      state,
      now2
    ]
  );
}
async function setConnectionState(q, tenantId2, state, reason, now2) {
  await q.query(
    `update shopify_connections set state = $2, state_reason = $3, updated_at = $4, version = version + 1 where tenant_id = $1`,
    [tenantId2, state, reason, now2]
  );
}

// src/db/shopify-imports.ts
var IMPORT_RESOURCES = [
  "locations",
  "products",
  "customers",
  "orders",
  "inventory"
];
var toResource = (r) => ({
  resource: r.resource,
  state: r.state,
  reason: r.reason,
  total: r.total === null ? null : Number(r.total),
  done: Number(r.done),
  parked: Number(r.parked),
  bulkOperationId: r.bulk_operation_id,
  url: r.url,
  linesDone: Number(r.lines_done),
  bytesDone: Number(r.bytes_done),
  mode: r.mode,
  pageFirst: r.page_first,
  pageChildFirst: r.page_child_first,
  pageCursor: r.page_cursor,
  pageOuterCursor: r.page_outer_cursor,
  pageBudget: r.page_budget,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at
});
async function withResources(q, run3) {
  if (!run3) return void 0;
  const { rows: rows2 } = await q.query("select * from shopify_import_resources where import_id = $1", [
    run3.id
  ]);
  const order = (r) => IMPORT_RESOURCES.indexOf(r.resource);
  return {
    id: run3.id,
    tenantId: run3.tenant_id,
    state: run3.state,
    reason: run3.reason,
    createdAt: run3.created_at,
    startedAt: run3.started_at,
    finishedAt: run3.finished_at,
    updatedAt: run3.updated_at,
    resources: rows2.sort((a, b) => order(a) - order(b)).map(toResource)
  };
}
async function createImport(q, tenantId2, now2) {
  const { rows: rows2 } = await q.query(
    `insert into shopify_imports (tenant_id, state, created_at, updated_at) values ($1, 'pending', $2, $2)
     on conflict (tenant_id) where state in ('pending', 'running', 'paused') do nothing returning id`,
    [tenantId2, now2]
  );
  const id = rows2[0]?.id;
  if (id) {
    await q.query(
      `insert into shopify_import_resources (import_id, resource, state, updated_at)
       select $1, r, 'pending', $3 from unnest($2::text[]) as r`,
      [id, IMPORT_RESOURCES, now2]
    );
  }
  const run3 = await getLiveImport(q, tenantId2);
  if (!run3) throw new Error("an import was created but cannot be read back");
  return { run: run3, created: id !== void 0 };
}
async function getLiveImport(q, tenantId2, forUpdate = false) {
  const { rows: rows2 } = await q.query(
    `select * from shopify_imports where tenant_id = $1 and state in ('pending', 'running', 'paused')${forUpdate ? " for update" : ""}`,
    [tenantId2]
  );
  return withResources(q, rows2[0]);
}
async function getLatestImport(q, tenantId2) {
  const { rows: rows2 } = await q.query(
    "select * from shopify_imports where tenant_id = $1 order by seq desc limit 1",
    [tenantId2]
  );
  return withResources(q, rows2[0]);
}
async function setImportState(q, importId, state, reason, now2) {
  await q.query(
    `update shopify_imports set state = $2, reason = $3, updated_at = $4,
       started_at = case when $2 = 'running' then coalesce(started_at, $4) else started_at end,
       finished_at = case when $2 in ('completed', 'failed') then $4 else null end
     where id = $1`,
    [importId, state, reason, now2]
  );
}
var PATCH_COLUMNS = {
  state: "state",
  reason: "reason",
  total: "total",
  bulkOperationId: "bulk_operation_id",
  url: "url",
  linesDone: "lines_done",
  bytesDone: "bytes_done",
  mode: "mode",
  pageFirst: "page_first",
  pageChildFirst: "page_child_first",
  pageCursor: "page_cursor",
  pageOuterCursor: "page_outer_cursor",
  pageBudget: "page_budget"
};
async function patchResource(q, importId, resource, patch, now2) {
  const sets = [];
  const params = [importId, resource, now2];
  for (const [key, column] of Object.entries(PATCH_COLUMNS)) {
    const value = patch[key];
    if (value === void 0) continue;
    params.push(
      value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value
    );
    sets.push(`${column} = $${params.length}`);
  }
  if (patch.state === "running") sets.push("started_at = coalesce(started_at, $3)");
  if (patch.state === "completed" || patch.state === "failed") sets.push("finished_at = $3");
  await q.query(
    `update shopify_import_resources set ${[...sets, "updated_at = $3"].join(", ")} where import_id = $1 and resource = $2`,
    params
  );
}
async function advanceCheckpoint(q, importId, resource, c, now2) {
  await q.query(
    `update shopify_import_resources set lines_done = $3, bytes_done = $4, done = done + $5, parked = parked + $6, updated_at = $7
     where import_id = $1 and resource = $2`,
    [importId, resource, c.linesDone, c.bytesDone, c.done, c.parked, now2]
  );
}
async function advancePageCheckpoint(q, importId, resource, c, now2) {
  await q.query(
    `update shopify_import_resources set page_cursor = $3, page_outer_cursor = $4, done = done + $5,
       parked = parked + $6, updated_at = $7, page_budget = coalesce($9::jsonb, page_budget),
       state = case when $8 then 'completed' else state end,
       finished_at = case when $8 then $7 else finished_at end,
       total = case when $8 then done + $5 + parked + $6 else total end,
       reason = case when $8 then null else reason end
     where import_id = $1 and resource = $2`,
    [
      importId,
      resource,
      c.cursor,
      c.outerCursor,
      c.done,
      c.parked,
      now2,
      c.finished,
      c.budget === null ? null : JSON.stringify(c.budget)
    ]
  );
}
async function parkRecords(q, tenantId2, importId, resource, records, now2) {
  if (records.length === 0) return;
  await q.query(
    `insert into shopify_import_parked (tenant_id, import_id, resource, gid, reason, payload, created_at)
     select $1, $2, $3, r.gid, r.reason, r.payload, $5 from jsonb_to_recordset($4::jsonb) as r(gid text, reason text, payload jsonb)
     on conflict (import_id, resource, gid) do update set reason = excluded.reason, payload = excluded.payload`,
    [tenantId2, importId, resource, JSON.stringify(records), now2]
  );
}

// src/shopify/secret-box.ts
import { createCipheriv, createDecipheriv } from "node:crypto";
function createSecretBox(key, randomBytes2) {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  return {
    seal(plain, associated) {
      const iv = randomBytes2(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(associated));
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), data].map((p) => typeof p === "string" ? p : p.toString("base64url")).join(".");
    },
    open(sealed, associated) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || data === void 0) throw new Error("not a sealed secret");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(associated));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
        "utf8"
      );
    }
  };
}

// src/errors.ts
var TransientError = class extends Error {
  name = "TransientError";
};
var PermanentError = class extends Error {
  constructor(message, errorClass, options) {
    super(message, options);
    this.errorClass = errorClass;
  }
  errorClass;
  name = "PermanentError";
};
var ThrottledError = class extends TransientError {
  constructor(message, retryAfterMs2) {
    super(message);
    this.retryAfterMs = retryAfterMs2;
  }
  retryAfterMs;
  name = "ThrottledError";
};

// src/jobs/names.ts
var JOBS = Object.freeze({
  sessionsCleanup: "core.sessions-cleanup",
  shopifyImport: "shopify.import",
  shopifyLifecycle: "shopify.lifecycle-webhooks",
  shopifyApplyWebhooks: "shopify.apply-webhooks",
  shopifyOutbox: "shopify.outbox-relay",
  shopifyPush: "shopify.push",
  shopifySubscriptionsCheck: "shopify.subscriptions-check"
});

// src/shopify/oauth.ts
import { z as z2 } from "zod";

// src/domain/shop-domain.ts
var SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
function isValidShop(shop2) {
  return SHOP.test(shop2);
}

// src/shopify/origin.ts
function shopUrl(template, shop2, path) {
  if (!isValidShop(shop2))
    throw new Error(`refusing to build a URL for ${JSON.stringify(shop2)}: not a myshopify.com shop`);
  if (!template.includes("{shop}")) throw new Error("the shop-origin template must contain {shop}");
  return `${template.replace("{shop}", shop2).replace(/\/$/, "")}${path}`;
}

// src/shopify/oauth.ts
var tokenResponse = z2.object({
  access_token: z2.string().min(1),
  scope: z2.string(),
  expires_in: z2.number().int().positive().optional(),
  refresh_token: z2.string().min(1).optional(),
  refresh_token_expires_in: z2.number().int().positive().optional()
});
async function postToken(app, shop2, body, now2) {
  const url = shopUrl(app.shopOriginTemplate, shop2, "/admin/oauth/access_token");
  let res;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ client_id: app.apiKey, client_secret: app.apiSecret, ...body }),
      signal: AbortSignal.timeout(15e3)
    });
  } catch (err) {
    throw new TransientError(`could not reach ${shop2} for a token: ${err.message}`, {
      cause: err
    });
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429)
    throw new TransientError(`token endpoint answered ${res.status}`);
  if (!res.ok)
    throw new PermanentError(
      `Shopify refused the token request (${res.status}): ${text.slice(0, 200)}`,
      "token_refused"
    );
  const parsed = tokenResponse.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new PermanentError("Shopify sent a token response we do not understand", "token_malformed");
  const t = parsed.data;
  const at = (seconds) => seconds === void 0 ? null : new Date(now2.getTime() + seconds * 1e3);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    accessExpiresAt: at(t.expires_in),
    refreshExpiresAt: at(t.refresh_token_expires_in),
    scopes: t.scope.split(",").map((s) => s.trim()).filter(Boolean)
  };
}
function refreshTokens(app, shop2, refreshToken, now2) {
  return postToken(app, shop2, { grant_type: "refresh_token", refresh_token: refreshToken }, now2);
}

// src/sync/access-token.ts
var REFRESH_MARGIN_MS = 5 * 6e4;
var aad = (c, kind) => `${c.tenantId}:${c.shop}:${kind}`;
function needsRefresh(c, now2) {
  return c.accessExpiresAt !== null && c.accessExpiresAt.getTime() - now2.getTime() <= REFRESH_MARGIN_MS;
}
async function liveAccessToken(deps2, tenantId2) {
  const now2 = deps2.clock.now();
  const current = await getConnection(deps2.db, tenantId2);
  if (!current?.accessTokenSealed) return void 0;
  if (!needsRefresh(current, now2)) {
    return {
      shop: current.shop,
      accessToken: deps2.secretBox.open(current.accessTokenSealed, aad(current, "access"))
    };
  }
  try {
    return await deps2.db.transaction(async (tx) => {
      const c = await getConnection(tx, tenantId2, true);
      if (!c?.accessTokenSealed) throw new PermanentError("the shop was disconnected", "disconnected");
      const box = deps2.secretBox;
      if (!needsRefresh(c, now2))
        return { shop: c.shop, accessToken: box.open(c.accessTokenSealed, aad(c, "access")) };
      if (!c.refreshTokenSealed)
        throw new PermanentError("the access token expired and there is no refresh token", "token_expired");
      const fresh = await refreshTokens(
        deps2.shopifyApp,
        c.shop,
        box.open(c.refreshTokenSealed, aad(c, "refresh")),
        now2
      );
      const sealed = {
        accessTokenSealed: box.seal(fresh.accessToken, aad(c, "access")),
        refreshTokenSealed: fresh.refreshToken ? box.seal(fresh.refreshToken, aad(c, "refresh")) : c.refreshTokenSealed,
        accessExpiresAt: fresh.accessExpiresAt,
        refreshExpiresAt: fresh.refreshToken ? fresh.refreshExpiresAt : c.refreshExpiresAt
      };
      await storeTokens(tx, tenantId2, sealed, fresh.scopes, c.state, now2);
      deps2.logger.info({ tenantId: tenantId2, shop: c.shop }, "shopify access token refreshed");
      return { shop: c.shop, accessToken: fresh.accessToken };
    });
  } catch (err) {
    if (err instanceof PermanentError) {
      await setConnectionState(
        deps2.db,
        tenantId2,
        "error_auth",
        `${err.message}; connect again`,
        deps2.clock.now()
      );
    }
    throw err;
  }
}

// src/sync/shopify-deps.ts
function shopifyDeps(deps2) {
  return deps2.shopify ? { ...deps2, shopifyApp: deps2.shopify.app, secretBox: deps2.shopify.secretBox } : void 0;
}
var BASE_SCOPES = [
  "read_products",
  "write_products",
  "read_orders",
  "write_orders",
  "read_customers",
  "write_customers",
  "read_inventory",
  "write_inventory",
  "read_locations"
];
function requestedScopes(readAllOrders) {
  return readAllOrders ? [...BASE_SCOPES, "read_all_orders"] : [...BASE_SCOPES];
}

// src/shopify/graphql-client.ts
function throttleWaitMs(requested, status2) {
  if (!status2 || status2.restoreRate <= 0) return 1e3;
  const missing = Math.max(0, requested - status2.currentlyAvailable);
  return Math.max(250, Math.ceil(missing / status2.restoreRate * 1e3));
}
function retryAfterMs(header) {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1e3) : 1e3;
}
function classifyStatus(status2, text, retryAfter) {
  if (status2 === 429) return new ThrottledError("Shopify answered 429", retryAfterMs(retryAfter));
  if (status2 >= 500 || status2 === 423 || status2 === 408)
    return new TransientError(`Shopify answered ${status2}: ${text.slice(0, 200)}`);
  if (status2 === 401) return new PermanentError("Shopify refused the access token (401)", "unauthorized");
  if (status2 === 403)
    return new PermanentError(`Shopify refused access (403): ${text.slice(0, 200)}`, "forbidden");
  if (status2 === 404)
    return new PermanentError("Shopify answered 404 (shop or API version not found)", "not_found");
  if (status2 >= 400)
    return new PermanentError(`Shopify answered ${status2}: ${text.slice(0, 200)}`, "bad_request");
  return void 0;
}
async function adminGraphql(cfg, req) {
  const url = shopUrl(cfg.shopOriginTemplate, req.shop, `/admin/api/${cfg.apiVersion}/graphql.json`);
  let res;
  try {
    res = await (cfg.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-shopify-access-token": req.accessToken
      },
      body: JSON.stringify({ query: req.query, variables: req.variables ?? {} }),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 3e4)
    });
  } catch (err) {
    throw new TransientError(`could not reach ${req.shop}: ${err.message}`, { cause: err });
  }
  const text = await res.text();
  const failure = classifyStatus(res.status, text, res.headers.get("retry-after"));
  if (failure) throw failure;
  let body;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new TransientError(`Shopify sent a body that is not JSON (${res.status})`, { cause: err });
  }
  const cost = body.extensions?.cost;
  const errors = typeof body.errors === "string" ? [{ message: body.errors }] : body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
    throw new ThrottledError(
      "Shopify throttled the query",
      throttleWaitMs(cost?.requestedQueryCost ?? 50, cost?.throttleStatus)
    );
  }
  if (errors.length > 0 || body.data == null) {
    const codes = errors.map((e) => e.extensions?.code ?? "graphql").join(",");
    throw new PermanentError(
      `GraphQL error: ${errors.map((e) => e.message).join("; ") || "no data"}`,
      codes || "graphql"
    );
  }
  return { data: body.data, cost };
}

// src/sync/webhook-topics.ts
var SYNC_TOPICS = [
  "PRODUCTS_CREATE",
  "PRODUCTS_UPDATE",
  "PRODUCTS_DELETE",
  "INVENTORY_LEVELS_UPDATE",
  "INVENTORY_LEVELS_CONNECT",
  "INVENTORY_LEVELS_DISCONNECT",
  "INVENTORY_ITEMS_CREATE",
  "INVENTORY_ITEMS_UPDATE",
  "INVENTORY_ITEMS_DELETE",
  "ORDERS_CREATE",
  "ORDERS_UPDATED",
  "ORDERS_CANCELLED",
  "ORDERS_DELETE",
  "CUSTOMERS_CREATE",
  "CUSTOMERS_UPDATE",
  "CUSTOMERS_DELETE",
  "APP_UNINSTALLED",
  "BULK_OPERATIONS_FINISH"
];
function headerTopic(topic) {
  const lower = topic.toLowerCase();
  const cut = lower.lastIndexOf("_");
  return `${lower.slice(0, cut)}/${lower.slice(cut + 1)}`;
}
var HEADER_TOPICS = /* @__PURE__ */ new Set([
  ...SYNC_TOPICS.map(headerTopic),
  "customers/data_request",
  "customers/redact",
  "shop/redact"
]);

// src/sync/connect.ts
var STATE_TTL_MS = 10 * 6e4;
function accessTokenFor(deps2, tenantId2) {
  return liveAccessToken(deps2, tenantId2);
}

// src/sync/import/bulk-queries.ts
var BULK_RESOURCES = ["products", "customers", "orders", "inventory"];
var money = "shopMoney { amount currencyCode }";
var FIELDS = {
  product: "id title handle descriptionHtml vendor productType status tags createdAt updatedAt",
  variant: "id sku barcode price compareAtPrice position selectedOptions { name value } inventoryItem { id }",
  customer: `id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } note tags createdAt updatedAt
    addresses { firstName lastName company address1 address2 city province zip country countryCodeV2 phone }`,
  order: `id name email phone customer { id } displayFinancialStatus displayFulfillmentStatus currencyCode
    subtotalPriceSet { ${money} } totalTaxSet { ${money} } totalPriceSet { ${money} }
    note tags processedAt cancelledAt closedAt createdAt updatedAt`,
  lineItem: `id sku title quantity originalUnitPriceSet { ${money} } variant { id }`,
  level: 'id updatedAt quantities(names: ["available", "on_hand"]) { name quantity } item { id }'
};
var BULK_QUERIES = {
  products: `{ products { edges { node {
    ${FIELDS.product}
    variants { edges { node { ${FIELDS.variant} } } }
  } } } }`,
  customers: `{ customers { edges { node {
    ${FIELDS.customer}
  } } } }`,
  orders: `{ orders { edges { node {
    ${FIELDS.order}
    lineItems { edges { node { ${FIELDS.lineItem} } } }
  } } } }`,
  inventory: `{ locations { edges { node {
    id
    inventoryLevels { edges { node { ${FIELDS.level} } } }
  } } } }`
};
var RUN_BULK = `mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;
var POLL_BULK = `query PollBulk($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url }
}`;
var LOCATIONS_PAGE = `query Locations($after: String) {
  locations(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive createdAt updatedAt address { address1 address2 city province zip country countryCode phone } }
  }
}`;

// src/sync/import/jsonl.ts
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
var DownloadGoneError = class extends Error {
  name = "DownloadGoneError";
};
async function* readJsonl(url, opts) {
  let res;
  try {
    res = await (opts.fetch ?? fetch)(url);
  } catch (err) {
    throw new TransientError(`could not download the bulk result: ${err.message}`, { cause: err });
  }
  if (res.status >= 500 || res.status === 429)
    throw new TransientError(`the bulk result download answered ${res.status}`);
  if (!res.ok || !res.body) throw new DownloadGoneError(`the bulk result download answered ${res.status}`);
  const input = Readable.fromWeb(res.body);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bytes = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      bytes += Buffer.byteLength(text) + 1;
      if (lineNo <= opts.skipLines || text.trim() === "") continue;
      let value;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new TransientError(`bulk result line ${lineNo} is not JSON (truncated download?)`, {
          cause: err
        });
      }
      yield { value, lineNo, bytes };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
async function* batchLines(lines, mode, size, start) {
  let batch = { groups: [], orphans: [], endLine: start.line, endBytes: start.bytes };
  let current;
  const fresh = (line, bytes) => ({
    groups: [],
    orphans: [],
    endLine: line,
    endBytes: bytes
  });
  let before = { line: start.line, bytes: start.bytes };
  for await (const l of lines) {
    const parent = l.value["__parentId"];
    if (mode === "parent") {
      if (parent === void 0) {
        if (current) batch.groups.push(current);
        if (batch.groups.length >= size) {
          yield { ...batch, endLine: before.line, endBytes: before.bytes };
          batch = fresh(before.line, before.bytes);
        }
        current = { root: l.value, children: [] };
      } else if (current && current.root["id"] === parent) current.children.push(l.value);
      else batch.orphans.push(l.value);
    } else if (parent !== void 0) {
      batch.groups.push({ root: l.value, children: [] });
      if (batch.groups.length >= size) {
        yield { ...batch, endLine: l.lineNo, endBytes: l.bytes };
        batch = fresh(l.lineNo, l.bytes);
      }
    }
    before = { line: l.lineNo, bytes: l.bytes };
  }
  if (current) batch.groups.push(current);
  if (batch.groups.length > 0 || batch.orphans.length > 0 || before.line > batch.endLine) {
    yield { ...batch, endLine: before.line, endBytes: before.bytes };
  }
}

// src/sync/import/options.ts
var DEFAULTS = {
  batchSize: 500,
  maxBatchesPerStep: 40,
  pollDelayMs: 3e3,
  pagedAutoMaxSeconds: 30,
  maxPageCost: 1e3
};
function uuidFrom(bytes) {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] ?? 0) & 15 | 64;
  b[8] = (b[8] ?? 0) & 63 | 128;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// src/db/changes.ts
async function recordChanges(tx, tenantId2, origin, changes) {
  if (changes.length === 0) return;
  await tx.query(
    `insert into changes (tenant_id, entity, entity_id, version, op, origin)
     select $1, r.entity, r.entity_id, r.version, r.op, $2
     from jsonb_to_recordset($3::jsonb) as r(entity text, entity_id uuid, version integer, op text)`,
    [
      tenantId2,
      origin,
      JSON.stringify(
        changes.map((c) => ({ entity: c.entity, entity_id: c.entityId, version: c.version, op: c.op }))
      )
    ]
  );
}

// src/db/shopify-id-map.ts
async function localIdsOf(q, tenantId2, entity, gids) {
  if (gids.length === 0) return /* @__PURE__ */ new Map();
  const { rows: rows2 } = await q.query(
    "select gid, local_id from shopify_id_map where tenant_id = $1 and entity = $2 and gid = any($3::text[])",
    [tenantId2, entity, [...new Set(gids)]]
  );
  return new Map(rows2.map((r) => [r.gid, r.local_id]));
}
async function linkIds(q, tenantId2, entity, links, now2) {
  if (links.length === 0) return;
  await q.query(
    `insert into shopify_id_map (tenant_id, entity, gid, local_id, created_at)
     select $1, $2, r.gid, r.local_id, $4 from jsonb_to_recordset($3::jsonb) as r(gid text, local_id uuid)
     on conflict (tenant_id, entity, gid) do nothing`,
    [tenantId2, entity, JSON.stringify(links.map((l) => ({ gid: l.gid, local_id: l.localId }))), now2]
  );
}
async function unlinkLocal(q, tenantId2, entity, localIds) {
  if (localIds.length === 0) return;
  await q.query(
    "delete from shopify_id_map where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[])",
    [tenantId2, entity, [...localIds]]
  );
}

// src/domain/shopify-map/snapshot.ts
import { createHash } from "node:crypto";

// src/domain/money.ts
var DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
function isMoney(value) {
  return DECIMAL.test(value);
}
function normaliseMoney(value) {
  if (!isMoney(value)) throw new RangeError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  const [whole = "0", frac = ""] = value.split(".");
  let f = frac.padEnd(2, "0");
  while (f.length > 2 && f.endsWith("0")) f = f.slice(0, -1);
  return `${whole}.${f}`;
}

// src/domain/text.ts
function normaliseTags(tags) {
  const seen = /* @__PURE__ */ new Map();
  for (const raw of tags) {
    const t = raw.trim();
    if (t && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
}
function handleFromTitle(title) {
  const h = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  return h || "product";
}
function normaliseEmail(email) {
  return email.trim().toLowerCase();
}

// src/domain/shopify-map/snapshot.ts
function canonicalJson(value) {
  return JSON.stringify(sortKeys(value));
}
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v !== void 0) out[key] = sortKeys(v);
  }
  return out;
}
function snapshotHash(snapshot) {
  return createHash("sha256").update(canonicalJson(snapshot)).digest("hex");
}
var money2 = (v) => normaliseMoney(v);
var moneyOrNull = (v) => v === null ? null : normaliseMoney(v);
var iso = (d) => d === null ? null : d.toISOString();
function productSnapshot(p) {
  return {
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: normaliseTags(p.tags),
    variants: [...p.variants].sort((a, b) => a.position - b.position).map((v) => ({
      sku: v.sku,
      barcode: v.barcode,
      price: money2(v.price),
      compareAtPrice: moneyOrNull(v.compareAtPrice),
      optionValues: v.optionValues.map((o) => ({ name: o.name, value: o.value })),
      position: v.position
    }))
  };
}
function customerSnapshot(c) {
  return {
    email: c.email === null ? null : c.email.trim().toLowerCase(),
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: normaliseTags(c.tags),
    addresses: c.addresses.map((a) => ({ ...a }))
  };
}
function orderSnapshot(o) {
  return {
    name: o.name,
    number: o.number,
    email: o.email,
    phone: o.phone,
    financialStatus: o.financialStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    currency: o.currency,
    subtotalPrice: money2(o.subtotalPrice),
    totalTax: money2(o.totalTax),
    totalPrice: money2(o.totalPrice),
    note: o.note,
    tags: normaliseTags(o.tags),
    processedAt: iso(o.processedAt),
    cancelledAt: iso(o.cancelledAt),
    closedAt: iso(o.closedAt),
    lineItems: [...o.lineItems].sort((a, b) => a.position - b.position).map((l) => ({
      position: l.position,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unitPrice: money2(l.unitPrice)
    }))
  };
}
function locationSnapshot(l) {
  return { name: l.name, address: { ...l.address }, active: l.active };
}
function inventoryLevelSnapshot(l) {
  return { available: l.available, onHand: l.onHand };
}

// src/domain/entities.ts
var PRODUCT_STATUSES = ["active", "draft", "archived", "unlisted"];
var FINANCIAL_STATUSES = [
  "pending",
  "authorized",
  "partially_paid",
  "paid",
  "partially_refunded",
  "refunded",
  "voided"
];
var FULFILLMENT_STATUSES = [
  "unfulfilled",
  "partially_fulfilled",
  "fulfilled",
  "restocked"
];

// src/domain/shopify-map/common.ts
var blankToNull = (s) => s === void 0 || s === null || s.trim() === "" ? null : s.trim();
function parseTime(value, field) {
  const d = typeof value === "string" ? new Date(value) : /* @__PURE__ */ new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new MappingError(`${field} is not a timestamp: ${JSON.stringify(value)}`);
  return d;
}
function parseTimeOrNull(value, field) {
  return value === null || value === void 0 ? null : parseTime(value, field);
}
function parseMoney(value, field) {
  try {
    return normaliseMoney(String(value));
  } catch {
    throw new MappingError(`${field} is not a non-negative amount: ${JSON.stringify(value)}`);
  }
}
var MappingError = class extends Error {
  name = "MappingError";
};
function attempt(fn) {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof MappingError) return { ok: false, reason: err.message };
    throw err;
  }
}
function requireGid(value, type) {
  if (typeof value !== "string" || !value.startsWith(`gid://shopify/${type}/`)) {
    throw new MappingError(`expected a ${type} id, got ${JSON.stringify(value)}`);
  }
  return value;
}

// src/domain/shopify-map/product.ts
function status(value) {
  const s = value.toLowerCase();
  if (!PRODUCT_STATUSES.includes(s))
    throw new MappingError(`unknown product status ${JSON.stringify(value)}`);
  return s;
}
function variant(v, index) {
  const gid = requireGid(v.id, "ProductVariant");
  const compareAt = blankToNull(v.compareAtPrice);
  return {
    gid,
    inventoryItemGid: v.inventoryItem ? requireGid(v.inventoryItem.id, "InventoryItem") : null,
    sku: blankToNull(v.sku),
    barcode: blankToNull(v.barcode),
    price: parseMoney(v.price, `variant ${gid} price`),
    compareAtPrice: compareAt === null ? null : parseMoney(compareAt, `variant ${gid} compareAtPrice`),
    optionValues: (v.selectedOptions ?? []).map((o) => ({ name: o.name, value: o.value })),
    position: Number.isInteger(v.position) && v.position > 0 ? v.position : index + 1
  };
}
function duplicateSku(variants) {
  const seen = /* @__PURE__ */ new Set();
  for (const v of variants) {
    if (v.sku === null) continue;
    if (seen.has(v.sku)) return v.sku;
    seen.add(v.sku);
  }
  return void 0;
}
function mapProduct(p, variants) {
  return attempt(() => {
    const gid = requireGid(p.id, "Product");
    const title = (p.title ?? "").trim();
    if (!title) throw new MappingError("the product has no title");
    const mappedVariants = variants.map(variant).sort((a, b) => a.position - b.position);
    if (mappedVariants.length === 0) throw new MappingError("the product has no variants");
    const dup = duplicateSku(mappedVariants);
    if (dup !== void 0) throw new MappingError(`two variants share the SKU ${JSON.stringify(dup)}`);
    return {
      gid,
      title,
      handle: (p.handle ?? "").trim() || handleFromTitle(title),
      descriptionHtml: p.descriptionHtml ?? "",
      vendor: (p.vendor ?? "").trim(),
      productType: (p.productType ?? "").trim(),
      status: status(p.status),
      tags: normaliseTags(p.tags ?? []),
      variants: mappedVariants,
      createdAt: parseTime(p.createdAt, "createdAt"),
      updatedAt: parseTime(p.updatedAt, "updatedAt")
    };
  });
}

// src/domain/shopify-map/customer.ts
var ADDRESS_FIELDS = [
  ["address1", "address1"],
  ["address2", "address2"],
  ["city", "city"],
  ["province", "province"],
  ["zip", "zip"],
  ["country", "country"],
  ["countryCodeV2", "countryCode"],
  ["company", "company"],
  ["phone", "phone"],
  ["firstName", "firstName"],
  ["lastName", "lastName"]
];
function mapAddress(a) {
  const out = {};
  for (const [from, to] of ADDRESS_FIELDS) {
    const v = blankToNull(a[from]);
    if (v !== null) out[to] = v;
  }
  return out;
}
function mapCustomer(c) {
  return attempt(() => {
    const email = blankToNull(c.defaultEmailAddress?.emailAddress);
    return {
      gid: requireGid(c.id, "Customer"),
      email: email === null ? null : normaliseEmail(email),
      firstName: (c.firstName ?? "").trim(),
      lastName: (c.lastName ?? "").trim(),
      phone: blankToNull(c.defaultPhoneNumber?.phoneNumber),
      note: c.note ?? "",
      tags: normaliseTags(c.tags ?? []),
      addresses: (c.addresses ?? []).map(mapAddress),
      createdAt: parseTime(c.createdAt, "createdAt"),
      updatedAt: parseTime(c.updatedAt, "updatedAt")
    };
  });
}

// src/domain/shopify-map/order.ts
var FINANCIAL_FALLBACK = { EXPIRED: "voided" };
var FULFILLMENT_FALLBACK = {
  IN_PROGRESS: "partially_fulfilled",
  ON_HOLD: "unfulfilled",
  OPEN: "unfulfilled",
  PENDING_FULFILLMENT: "unfulfilled",
  REQUEST_DECLINED: "unfulfilled",
  SCHEDULED: "unfulfilled",
  FULFILLMENT_NOT_REQUIRED: "fulfilled"
};
function financialStatus(value) {
  if (value === null) return "pending";
  const s = value.toLowerCase();
  if (FINANCIAL_STATUSES.includes(s)) return s;
  const near = FINANCIAL_FALLBACK[value];
  if (!near) throw new MappingError(`unknown financial status ${JSON.stringify(value)}`);
  return near;
}
function fulfillmentStatus(value) {
  const s = value.toLowerCase();
  if (FULFILLMENT_STATUSES.includes(s)) return s;
  const near = FULFILLMENT_FALLBACK[value];
  if (!near) throw new MappingError(`unknown fulfillment status ${JSON.stringify(value)}`);
  return near;
}
function orderNumber(name) {
  const m = /^\D*(\d{1,9})\D*$/.exec(name);
  if (!m) throw new MappingError(`the order name ${JSON.stringify(name)} carries no number`);
  return Number(m[1]);
}
function lineItem(l, index) {
  const gid = requireGid(l.id, "LineItem");
  if (!Number.isInteger(l.quantity) || l.quantity <= 0) {
    throw new MappingError(`line item ${gid} has quantity ${JSON.stringify(l.quantity)}`);
  }
  return {
    gid,
    position: index + 1,
    sku: blankToNull(l.sku),
    title: (l.title ?? "").trim(),
    quantity: l.quantity,
    unitPrice: parseMoney(l.originalUnitPriceSet?.shopMoney.amount, `line item ${gid} price`),
    variantGid: l.variant ? requireGid(l.variant.id, "ProductVariant") : null
  };
}
function mapOrder(o, lines) {
  return attempt(() => {
    const email = blankToNull(o.email);
    return {
      gid: requireGid(o.id, "Order"),
      name: o.name,
      number: orderNumber(o.name),
      customerGid: o.customer ? requireGid(o.customer.id, "Customer") : null,
      email: email === null ? null : normaliseEmail(email),
      phone: blankToNull(o.phone),
      financialStatus: financialStatus(o.displayFinancialStatus),
      fulfillmentStatus: fulfillmentStatus(o.displayFulfillmentStatus),
      currency: o.currencyCode,
      subtotalPrice: parseMoney(o.subtotalPriceSet?.shopMoney.amount ?? "0", "subtotalPrice"),
      totalTax: parseMoney(o.totalTaxSet?.shopMoney.amount ?? "0", "totalTax"),
      totalPrice: parseMoney(o.totalPriceSet?.shopMoney.amount, "totalPrice"),
      note: o.note ?? "",
      tags: normaliseTags(o.tags ?? []),
      lineItems: lines.map(lineItem),
      processedAt: parseTime(o.processedAt, "processedAt"),
      cancelledAt: parseTimeOrNull(o.cancelledAt, "cancelledAt"),
      closedAt: parseTimeOrNull(o.closedAt, "closedAt"),
      createdAt: parseTime(o.createdAt, "createdAt"),
      updatedAt: parseTime(o.updatedAt, "updatedAt")
    };
  });
}

// src/domain/shopify-map/location.ts
var ADDRESS_KEYS = [
  "address1",
  "address2",
  "city",
  "province",
  "zip",
  "country",
  "countryCode",
  "phone"
];
function mapLocation(l) {
  return attempt(() => {
    const name = (l.name ?? "").trim();
    if (!name) throw new MappingError("the location has no name");
    const address = {};
    for (const key of ADDRESS_KEYS) {
      const v = blankToNull(l.address?.[key]);
      if (v !== null) address[key] = v;
    }
    return {
      gid: requireGid(l.id, "Location"),
      name,
      address,
      active: l.isActive !== false,
      createdAt: parseTime(l.createdAt, "createdAt"),
      updatedAt: parseTime(l.updatedAt, "updatedAt")
    };
  });
}
function quantity(level, name) {
  const q = (level.quantities ?? []).find((x) => x.name === name);
  if (!q || !Number.isInteger(q.quantity)) throw new MappingError(`the level has no ${name} quantity`);
  return q.quantity;
}
function mapInventoryLevel(level, locationGid) {
  return attempt(() => {
    if (!level.item) throw new MappingError("the level names no inventory item");
    return {
      gid: level.id,
      locationGid: requireGid(locationGid, "Location"),
      inventoryItemGid: requireGid(level.item.id, "InventoryItem"),
      available: quantity(level, "available"),
      onHand: quantity(level, "on_hand"),
      updatedAt: level.updatedAt ? parseTime(level.updatedAt, "updatedAt") : null
    };
  });
}

// src/domain/shopify-map/webhook.ts
var upsert = (entity) => ({ entity, action: "upsert" });
var remove = (entity) => ({ entity, action: "delete" });
var TOPICS = {
  "products/create": upsert("product"),
  "products/update": upsert("product"),
  "products/delete": remove("product"),
  "customers/create": upsert("customer"),
  "customers/update": upsert("customer"),
  "customers/enable": upsert("customer"),
  "customers/disable": upsert("customer"),
  "customers/delete": remove("customer"),
  "orders/create": upsert("order"),
  "orders/updated": upsert("order"),
  "orders/paid": upsert("order"),
  "orders/cancelled": upsert("order"),
  "orders/fulfilled": upsert("order"),
  "orders/partially_fulfilled": upsert("order"),
  "orders/delete": remove("order"),
  "inventory_levels/connect": upsert("inventory_level"),
  "inventory_levels/update": upsert("inventory_level"),
  "inventory_levels/disconnect": remove("inventory_level"),
  "inventory_items/create": upsert("inventory_item"),
  "inventory_items/update": upsert("inventory_item"),
  "inventory_items/delete": remove("inventory_item")
};

// src/db/db.ts
function pgErrorCode(err) {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string")
    return err.code;
  return void 0;
}
function pgConstraint(err) {
  if (typeof err === "object" && err !== null && "constraint" in err && typeof err.constraint === "string") {
    return err.constraint;
  }
  return void 0;
}

// src/db/record-refusal.ts
var FRIENDLY = {
  products_handle_key: "another product already has this handle",
  variants_sku_key: "another variant already has this SKU",
  customers_email_key: "another customer already has this email",
  orders_number_key: "another order already has this number",
  locations_name_key: "another location already has this name"
};
function recordRefusal(err) {
  const code = pgErrorCode(err);
  if (!code || !(code.startsWith("23") || code.startsWith("22"))) return void 0;
  const constraint = pgConstraint(err);
  return (constraint && FRIENDLY[constraint]) ?? `${constraint ?? code}: ${err.message}`;
}

// src/db/shopify-sync-base.ts
async function baseHashesByGid(q, tenantId2, entity, gids) {
  if (gids.length === 0) return /* @__PURE__ */ new Map();
  const { rows: rows2 } = await q.query(
    "select gid, snapshot_hash from shopify_sync_base where tenant_id = $1 and entity = $2 and gid = any($3::text[])",
    [tenantId2, entity, [...new Set(gids)]]
  );
  return new Map(rows2.map((r) => [r.gid, r.snapshot_hash]));
}
async function upsertSyncBase(q, tenantId2, entity, rows2, now2) {
  if (rows2.length === 0) return;
  await q.query(
    `insert into shopify_sync_base (tenant_id, entity, local_id, gid, snapshot_hash, snapshot, remote_updated_at, synced_at)
     select $1, $2, r.local_id, r.gid, r.hash, r.snapshot, r.remote_updated_at, $4
     from jsonb_to_recordset($3::jsonb) as r(local_id uuid, gid text, hash text, snapshot jsonb, remote_updated_at timestamptz)
     on conflict (tenant_id, entity, local_id) do update set gid = excluded.gid, snapshot_hash = excluded.snapshot_hash,
       snapshot = excluded.snapshot, remote_updated_at = excluded.remote_updated_at, synced_at = excluded.synced_at`,
    [
      tenantId2,
      entity,
      JSON.stringify(
        rows2.map((r) => ({
          local_id: r.localId,
          gid: r.gid,
          hash: r.hash,
          snapshot: r.snapshot,
          remote_updated_at: r.remoteUpdatedAt?.toISOString() ?? null
        }))
      ),
      now2
    ]
  );
}

// src/sync/import/batch.ts
function plan(gid, mapped, snapshot, payload) {
  return { gid, mapped, snapshot, hash: snapshotHash(snapshot), payload };
}
async function writeChanged(tx, ctx, entity, items, write, remoteUpdatedAt) {
  const base = await baseHashesByGid(
    tx,
    ctx.tenantId,
    entity,
    items.map((i) => i.gid)
  );
  const changed = items.filter((i) => base.get(i.gid) !== i.hash);
  if (changed.length === 0) return [];
  const writeWithBase = async (some) => {
    const ids = await write(tx, some);
    const rows2 = some.flatMap((i) => {
      const localId = ids.get(i.gid);
      return localId ? [
        {
          localId,
          gid: i.gid,
          hash: i.hash,
          snapshot: i.snapshot,
          remoteUpdatedAt: remoteUpdatedAt(i.mapped)
        }
      ] : [];
    });
    await upsertSyncBase(tx, ctx.tenantId, entity, rows2, ctx.now);
  };
  await tx.query("savepoint import_batch");
  try {
    await writeWithBase(changed);
    await tx.query("release savepoint import_batch");
    return [];
  } catch (err) {
    if (recordRefusal(err) === void 0) throw err;
    await tx.query("rollback to savepoint import_batch");
  }
  const parked = [];
  for (const item of changed) {
    await tx.query("savepoint import_record");
    try {
      await writeWithBase([item]);
      await tx.query("release savepoint import_record");
    } catch (err) {
      const reason = recordRefusal(err);
      if (reason === void 0) throw err;
      await tx.query("rollback to savepoint import_record");
      parked.push({ gid: item.gid, reason, payload: item.payload });
    }
  }
  return parked;
}
function assignIds(known, gids, newId) {
  const out = /* @__PURE__ */ new Map();
  for (const gid of gids) out.set(gid, known.get(gid) ?? out.get(gid) ?? newId());
  return out;
}

// src/sync/import/write-customers.ts
async function upsertCustomers(tx, ctx, items) {
  const t = ctx.tenantId;
  const known = await localIdsOf(
    tx,
    t,
    "customer",
    items.map((i) => i.gid)
  );
  const ids = assignIds(
    known,
    items.map((i) => i.gid),
    ctx.newId
  );
  const json = items.map(({ mapped: c }) => ({
    id: ids.get(c.gid),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: c.tags,
    addresses: c.addresses,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString()
  }));
  const { rows: rows2 } = await tx.query(
    `insert into customers (id, tenant_id, email, first_name, last_name, phone, note, tags, addresses, created_at, updated_at)
     select r.id, $1, r.email, r.first_name, r.last_name, r.phone, r.note, r.tags, r.addresses, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, email text, first_name text, last_name text, phone text, note text,
       tags text[], addresses jsonb, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
       phone = excluded.phone, note = excluded.note, tags = excluded.tags, addresses = excluded.addresses,
       updated_at = excluded.updated_at, version = customers.version + 1
     where customers.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)]
  );
  if (rows2.length !== items.length) throw new Error("customer batch: some ids belong to another tenant");
  await recordChanges(
    tx,
    t,
    "shopify",
    rows2.map((r) => ({
      entity: "customer",
      entityId: r.id,
      version: r.version,
      op: r.inserted ? "create" : "update"
    }))
  );
  await linkIds(
    tx,
    t,
    "customer",
    [...ids].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  return ids;
}
async function writeCustomerBatch(tx, ctx, groups) {
  const parked = [];
  const planned = [];
  for (const g of groups) {
    const m = mapCustomer(g.root);
    if (!m.ok) parked.push({ gid: String(g.root["id"]), reason: m.reason, payload: g });
    else planned.push(plan(m.value.gid, m.value, customerSnapshot(m.value), g));
  }
  parked.push(
    ...await writeChanged(
      tx,
      ctx,
      "customer",
      planned,
      (q, some) => upsertCustomers(q, ctx, some),
      (c) => c.updatedAt
    )
  );
  return { done: groups.length - parked.length, parked };
}

// src/sync/import/write-inventory.ts
async function upsertLevels(tx, ctx, items) {
  const t = ctx.tenantId;
  const json = items.map(({ mapped: l }) => ({
    variant_id: l.variantId,
    location_id: l.locationId,
    available: l.available,
    on_hand: l.onHand
  }));
  const { rows: rows2 } = await tx.query(
    `with input as (
       select * from jsonb_to_recordset($2::jsonb) as r(variant_id uuid, location_id uuid, available integer, on_hand integer)
     ), old as (
       select l.variant_id, l.location_id, l.available, l.on_hand from inventory_levels l
       join input i on i.variant_id = l.variant_id and i.location_id = l.location_id where l.tenant_id = $1
     ), up as (
       insert into inventory_levels (tenant_id, variant_id, location_id, available, on_hand, created_at, updated_at)
       select $1, i.variant_id, i.location_id, i.available, i.on_hand, $3, $3 from input i
       on conflict (tenant_id, variant_id, location_id) do update set available = excluded.available,
         on_hand = excluded.on_hand, updated_at = excluded.updated_at, version = inventory_levels.version + 1
       returning id, variant_id, location_id, version, available, on_hand, (xmax = 0) as inserted
     ), adjusted as (
       insert into inventory_adjustments (tenant_id, variant_id, location_id, delta_available, delta_on_hand, reason, origin, created_at)
       select $1, up.variant_id, up.location_id, up.available - coalesce(old.available, 0), up.on_hand - coalesce(old.on_hand, 0),
         'shopify import', 'shopify', $3
       from up left join old on old.variant_id = up.variant_id and old.location_id = up.location_id
     )
     select id, variant_id::text, location_id::text, version, inserted from up`,
    [t, JSON.stringify(json), ctx.now]
  );
  const byKey = new Map(rows2.map((r) => [`${r.variant_id}/${r.location_id}`, r]));
  const ids = /* @__PURE__ */ new Map();
  for (const { mapped: l } of items) {
    const row = byKey.get(`${l.variantId}/${l.locationId}`);
    if (row) ids.set(l.gid, row.id);
  }
  await recordChanges(
    tx,
    t,
    "shopify",
    rows2.map((r) => ({
      entity: "inventory_level",
      entityId: r.id,
      version: r.version,
      op: r.inserted ? "create" : "update"
    }))
  );
  await linkIds(
    tx,
    t,
    "inventory_level",
    [...ids].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  return ids;
}
async function writeInventoryBatch(tx, ctx, groups) {
  const parked = [];
  const mapped = [];
  for (const g of groups) {
    const m = mapInventoryLevel(g.root, String(g.root["__parentId"]));
    if (!m.ok) parked.push({ gid: String(g.root["id"]), reason: m.reason, payload: g.root });
    else mapped.push(m.value);
  }
  const variants = await localIdsOf(
    tx,
    ctx.tenantId,
    "inventory_item",
    mapped.map((l) => l.inventoryItemGid)
  );
  const locations = await localIdsOf(
    tx,
    ctx.tenantId,
    "location",
    mapped.map((l) => l.locationGid)
  );
  const planned = [];
  for (const l of mapped) {
    const variantId = variants.get(l.inventoryItemGid);
    const locationId = locations.get(l.locationGid);
    if (!variantId)
      parked.push({
        gid: l.gid,
        reason: `no imported variant has the inventory item ${l.inventoryItemGid}`,
        payload: l
      });
    else if (!locationId)
      parked.push({ gid: l.gid, reason: `the location ${l.locationGid} was not imported`, payload: l });
    else planned.push(plan(l.gid, { ...l, variantId, locationId }, inventoryLevelSnapshot(l), l));
  }
  parked.push(
    ...await writeChanged(
      tx,
      ctx,
      "inventory_level",
      planned,
      (q, some) => upsertLevels(q, ctx, some),
      (l) => l.updatedAt
    )
  );
  return { done: groups.length - parked.length, parked };
}

// src/sync/import/write-orders.ts
async function upsertOrders(tx, ctx, items) {
  const t = ctx.tenantId;
  const orders = items.map((i) => i.mapped);
  const known = await localIdsOf(
    tx,
    t,
    "order",
    orders.map((o) => o.gid)
  );
  const ids = assignIds(
    known,
    orders.map((o) => o.gid),
    ctx.newId
  );
  const customers = await localIdsOf(
    tx,
    t,
    "customer",
    orders.flatMap((o) => o.customerGid ? [o.customerGid] : [])
  );
  const variants = await localIdsOf(
    tx,
    t,
    "variant",
    orders.flatMap((o) => o.lineItems.flatMap((l) => l.variantGid ? [l.variantGid] : []))
  );
  const json = orders.map((o) => ({
    id: ids.get(o.gid),
    name: o.name,
    number: o.number,
    customer_id: o.customerGid ? customers.get(o.customerGid) ?? null : null,
    email: o.email,
    phone: o.phone,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    currency: o.currency,
    subtotal_price: o.subtotalPrice,
    total_tax: o.totalTax,
    total_price: o.totalPrice,
    note: o.note,
    tags: o.tags,
    processed_at: o.processedAt.toISOString(),
    cancelled_at: o.cancelledAt?.toISOString() ?? null,
    closed_at: o.closedAt?.toISOString() ?? null,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString()
  }));
  const { rows: rows2 } = await tx.query(
    `insert into orders (id, tenant_id, name, number, customer_id, email, phone, financial_status, fulfillment_status, currency,
       subtotal_price, total_tax, total_price, note, tags, processed_at, cancelled_at, closed_at, created_at, updated_at)
     select r.id, $1, r.name, r.number, r.customer_id, r.email, r.phone, r.financial_status, r.fulfillment_status, r.currency,
       r.subtotal_price, r.total_tax, r.total_price, r.note, r.tags, r.processed_at, r.cancelled_at, r.closed_at, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, number integer, customer_id uuid, email text, phone text,
       financial_status text, fulfillment_status text, currency text, subtotal_price numeric, total_tax numeric, total_price numeric,
       note text, tags text[], processed_at timestamptz, cancelled_at timestamptz, closed_at timestamptz, created_at timestamptz,
       updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, number = excluded.number, customer_id = excluded.customer_id,
       email = excluded.email, phone = excluded.phone, financial_status = excluded.financial_status,
       fulfillment_status = excluded.fulfillment_status, currency = excluded.currency, subtotal_price = excluded.subtotal_price,
       total_tax = excluded.total_tax, total_price = excluded.total_price, note = excluded.note, tags = excluded.tags,
       processed_at = excluded.processed_at, cancelled_at = excluded.cancelled_at, closed_at = excluded.closed_at,
       updated_at = excluded.updated_at, version = orders.version + 1
     where orders.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)]
  );
  if (rows2.length !== items.length) throw new Error("order batch: some ids belong to another tenant");
  const orderIds = [...ids.values()];
  await tx.query("delete from order_line_items where tenant_id = $1 and order_id = any($2::uuid[])", [
    t,
    orderIds
  ]);
  const lines = orders.flatMap(
    (o) => o.lineItems.map((l) => ({
      order_id: ids.get(o.gid),
      position: l.position,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      variant_id: l.variantGid ? variants.get(l.variantGid) ?? null : null
    }))
  );
  await tx.query(
    `insert into order_line_items (tenant_id, order_id, position, sku, title, quantity, unit_price, variant_id)
     select $1, r.order_id, r.position, r.sku, r.title, r.quantity, r.unit_price, r.variant_id
     from jsonb_to_recordset($2::jsonb) as r(order_id uuid, position integer, sku text, title text, quantity integer,
       unit_price numeric, variant_id uuid)`,
    [t, JSON.stringify(lines)]
  );
  await recordChanges(
    tx,
    t,
    "shopify",
    rows2.map((r) => ({
      entity: "order",
      entityId: r.id,
      version: r.version,
      op: r.inserted ? "create" : "update"
    }))
  );
  await linkIds(
    tx,
    t,
    "order",
    [...ids].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  return ids;
}
async function writeOrderBatch(tx, ctx, groups) {
  const parked = [];
  const planned = [];
  for (const g of groups) {
    const m = mapOrder(g.root, g.children);
    if (!m.ok) parked.push({ gid: String(g.root["id"]), reason: m.reason, payload: g });
    else planned.push(plan(m.value.gid, m.value, orderSnapshot(m.value), g));
  }
  parked.push(
    ...await writeChanged(
      tx,
      ctx,
      "order",
      planned,
      (q, some) => upsertOrders(q, ctx, some),
      (o) => o.updatedAt
    )
  );
  return { done: groups.length - parked.length, parked };
}

// src/db/product-batch.ts
async function upsertProductBatch(tx, tenantId2, origin, products) {
  if (products.length === 0) return { inserted: 0, updated: 0 };
  const { rows: rows2 } = await tx.query(
    `insert into products (id, tenant_id, title, handle, description_html, vendor, product_type, status, tags, created_at, updated_at)
     select r.id, $1, r.title, r.handle, r.description_html, r.vendor, r.product_type, r.status, r.tags, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, title text, handle text, description_html text, vendor text,
       product_type text, status text, tags text[], created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set title = excluded.title, handle = excluded.handle,
       description_html = excluded.description_html, vendor = excluded.vendor, product_type = excluded.product_type,
       status = excluded.status, tags = excluded.tags, updated_at = excluded.updated_at, version = products.version + 1
     where products.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [tenantId2, JSON.stringify(products.map(productRecord))]
  );
  if (rows2.length !== products.length) {
    throw new Error(`product batch: ${products.length - rows2.length} ids belong to another tenant`);
  }
  await tx.query(
    `insert into variants (id, tenant_id, product_id, sku, barcode, price, compare_at_price, option_values, position, created_at, updated_at)
     select r.id, $1, r.product_id, r.sku, r.barcode, r.price, r.compare_at_price, r.option_values, r.position, $3, $3
     from jsonb_to_recordset($2::jsonb) as r(id uuid, product_id uuid, sku text, barcode text, price numeric,
       compare_at_price numeric, option_values jsonb, position integer)
     on conflict (id) do update set sku = excluded.sku, barcode = excluded.barcode, price = excluded.price,
       compare_at_price = excluded.compare_at_price, option_values = excluded.option_values,
       position = excluded.position, updated_at = excluded.updated_at, version = variants.version + 1
     where variants.tenant_id = excluded.tenant_id`,
    [tenantId2, JSON.stringify(products.flatMap(variantRecords)), products[0]?.updatedAt ?? /* @__PURE__ */ new Date()]
  );
  const inserted = rows2.filter((r) => r.inserted).length;
  await recordChanges(
    tx,
    tenantId2,
    origin,
    rows2.map((r) => ({
      entity: "product",
      entityId: r.id,
      version: r.version,
      op: r.inserted ? "create" : "update"
    }))
  );
  return { inserted, updated: rows2.length - inserted };
}
function productRecord(p) {
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    description_html: p.descriptionHtml,
    vendor: p.vendor,
    product_type: p.productType,
    status: p.status,
    tags: p.tags,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString()
  };
}
function variantRecords(p) {
  return p.variants.map((v) => ({
    id: v.id,
    product_id: p.id,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price,
    compare_at_price: v.compareAtPrice,
    option_values: v.optionValues,
    position: v.position
  }));
}

// src/sync/import/write-products.ts
async function upsertProducts(tx, ctx, items) {
  const t = ctx.tenantId;
  const products = items.map((i) => i.mapped);
  const variants = products.flatMap((p) => p.variants);
  const knownProducts = await localIdsOf(
    tx,
    t,
    "product",
    products.map((p) => p.gid)
  );
  const knownVariants = await localIdsOf(
    tx,
    t,
    "variant",
    variants.map((v) => v.gid)
  );
  const productIds = assignIds(
    knownProducts,
    products.map((p) => p.gid),
    ctx.newId
  );
  const variantIds = assignIds(
    knownVariants,
    variants.map((v) => v.gid),
    ctx.newId
  );
  const { rows: gone } = await tx.query(
    `delete from variants where tenant_id = $1 and product_id = any($2::uuid[]) and not (id = any($3::uuid[])) returning id`,
    [t, [...knownProducts.values()], [...variantIds.values()]]
  );
  await unlinkLocal(
    tx,
    t,
    "variant",
    gone.map((g) => g.id)
  );
  await unlinkLocal(
    tx,
    t,
    "inventory_item",
    gone.map((g) => g.id)
  );
  await tx.query("update variants set sku = null where tenant_id = $1 and id = any($2::uuid[])", [
    t,
    [...knownVariants.values()]
  ]);
  const rows2 = products.map((p) => ({
    id: productIds.get(p.gid),
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    variants: p.variants.map((v) => ({
      id: variantIds.get(v.gid),
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      optionValues: v.optionValues,
      position: v.position
    })),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt
  }));
  await upsertProductBatch(tx, t, "shopify", rows2);
  await linkIds(
    tx,
    t,
    "product",
    [...productIds].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  await linkIds(
    tx,
    t,
    "variant",
    [...variantIds].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  const items2 = variants.flatMap(
    (v) => v.inventoryItemGid ? [{ gid: v.inventoryItemGid, localId: variantIds.get(v.gid) }] : []
  );
  await linkIds(tx, t, "inventory_item", items2, ctx.now);
  return productIds;
}
async function writeProductBatch(tx, ctx, groups) {
  const parked = [];
  const planned = [];
  for (const g of groups) {
    const m = mapProduct(g.root, g.children);
    if (!m.ok) parked.push({ gid: String(g.root["id"]), reason: m.reason, payload: g });
    else planned.push(plan(m.value.gid, m.value, productSnapshot(m.value), g));
  }
  parked.push(
    ...await writeChanged(
      tx,
      ctx,
      "product",
      planned,
      (q, some) => upsertProducts(q, ctx, some),
      (p) => p.updatedAt
    )
  );
  return { done: groups.length - parked.length, parked };
}

// src/sync/import/writers.ts
var WRITERS = {
  products: { mode: "parent", write: writeProductBatch },
  customers: { mode: "parent", write: writeCustomerBatch },
  orders: { mode: "parent", write: writeOrderBatch },
  inventory: { mode: "child", write: writeInventoryBatch }
};
function batchContext(deps2, tenantId2, importId) {
  return { tenantId: tenantId2, importId, now: deps2.clock.now(), newId: () => uuidFrom(deps2.randomBytes(16)) };
}

// src/sync/import/ingest.ts
async function ingestFile(deps2, tenantId2, importId, r) {
  const opts = deps2.importOptions ?? {};
  const { mode, write } = WRITERS[r.resource];
  const lines = readJsonl(r.url, { skipLines: r.linesDone, fetch: opts.fetch });
  const size = opts.batchSize ?? DEFAULTS.batchSize;
  let budget = opts.maxBatchesPerStep ?? DEFAULTS.maxBatchesPerStep;
  let done = r.done;
  for await (const batch of batchLines(lines, mode, size, { line: r.linesDone, bytes: r.bytesDone })) {
    const ctx = batchContext(deps2, tenantId2, importId);
    await deps2.db.transaction(async (tx) => {
      const out = await write(tx, ctx, batch.groups);
      const orphans = batch.orphans.map((o) => ({
        gid: String(o["id"]),
        reason: `a child line whose parent ${String(o["__parentId"])} does not precede it`,
        payload: o
      }));
      const parked = [...out.parked, ...orphans];
      await parkRecords(tx, tenantId2, importId, r.resource, parked, ctx.now);
      const c = {
        linesDone: batch.endLine,
        bytesDone: batch.endBytes,
        done: out.done,
        parked: parked.length
      };
      await advanceCheckpoint(tx, importId, r.resource, c, ctx.now);
      done += out.done;
    });
    await opts.afterBatch?.({ resource: r.resource, linesDone: batch.endLine, done });
    budget -= 1;
    if (budget <= 0) return false;
  }
  return true;
}

// src/sync/import/page-size.ts
var MAX_QUERY_COST = 1e3;
var MAX_FIRST = 250;
var connectionCost = (first, itemCost2) => 2 + first * itemCost2;
var firstWithin = (budget, itemCost2) => Math.max(0, Math.min(MAX_FIRST, Math.floor((budget - 2) / itemCost2)));
var ITEM_COST = {
  /** node · selectedOptions · inventoryItem */
  variant: 3,
  /** node (scalars only), plus its variants connection */
  product: 1,
  /** node · defaultEmailAddress · defaultPhoneNumber · addresses */
  customer: 4,
  /** node · originalUnitPriceSet · its shopMoney · variant */
  lineItem: 4,
  /** node · customer · three money bags of two objects each, plus its lineItems connection */
  order: 8,
  /** node · quantities · item */
  level: 3,
  /** node (id), plus its inventoryLevels connection */
  location: 1
};
function childFirstFor(averageChildren, fallback) {
  if (averageChildren === null || !Number.isFinite(averageChildren) || averageChildren <= 0) return fallback;
  return Math.min(100, Math.max(4, Math.ceil(averageChildren * 2)));
}
var DEFAULT_LINES_PER_ORDER = 5;
var DEFAULT_VARIANTS_PER_PRODUCT = 6;
function itemCost(resource, childFirst) {
  switch (resource) {
    case "products":
      return ITEM_COST.product + connectionCost(childFirst, ITEM_COST.variant);
    case "customers":
      return ITEM_COST.customer;
    case "orders":
      return ITEM_COST.order + connectionCost(childFirst, ITEM_COST.lineItem);
    case "inventory":
      return ITEM_COST.level;
  }
}
function pageCost(resource, first, childFirst) {
  const cost = connectionCost(first, itemCost(resource, childFirst));
  return resource === "inventory" ? connectionCost(1, ITEM_COST.location + cost) : cost;
}
function pagePlan(resource, childFirst, maxCost = MAX_QUERY_COST) {
  const child = resource === "products" || resource === "orders" ? childFirst : 0;
  const budget = resource === "inventory" ? maxCost - 2 - ITEM_COST.location : maxCost;
  const first = Math.max(1, firstWithin(budget, itemCost(resource, child)));
  const childCost = resource === "orders" ? ITEM_COST.lineItem : ITEM_COST.variant;
  return {
    first,
    childFirst: child,
    requestedCost: pageCost(resource, first, child),
    followUpFirst: followUpFirst(childCost, maxCost)
  };
}
function followUpFirst(childItemCost, maxCost = MAX_QUERY_COST) {
  return Math.max(1, firstWithin(maxCost - 1, childItemCost));
}
function pagedImportPoints(c) {
  const pages = (records, first) => Math.ceil(records / Math.max(1, first)) * 2;
  const products = c.products * (ITEM_COST.product + 2) + c.variants * ITEM_COST.variant;
  const customers = c.customers * ITEM_COST.customer;
  const orders = c.orders * (ITEM_COST.order + 2 + 2 * ITEM_COST.lineItem);
  const levels = c.variants * c.locations * ITEM_COST.level + c.locations * (2 + ITEM_COST.location + 2);
  const overhead = pages(c.products, 40) + pages(c.customers, 249) + pages(c.orders, 30);
  return products + customers + orders + levels + overhead;
}
function pagedLowerBoundSeconds(points, budget) {
  if (budget.restoreRate <= 0) return Infinity;
  return Math.max(0, points - budget.currentlyAvailable) / budget.restoreRate;
}
function pacingWaitMs(requested, status2) {
  if (!status2 || status2.currentlyAvailable >= requested) return 0;
  if (status2.restoreRate <= 0) return 1e3;
  return Math.ceil((requested - status2.currentlyAvailable) / status2.restoreRate * 1e3);
}
function budgetNow(seen, now2) {
  if (!seen) return void 0;
  const elapsed = (now2.getTime() - Date.parse(seen.observedAt)) / 1e3;
  if (!(elapsed > 0)) return void 0;
  const available = Math.min(seen.maximumAvailable, seen.currentlyAvailable + elapsed * seen.restoreRate);
  return { ...seen, currentlyAvailable: Math.floor(available) };
}
function firstAffordable(resource, plan2, available, scale = 1) {
  const base = pageCost(resource, 0, plan2.childFirst);
  const each = pageCost(resource, 1, plan2.childFirst) - base;
  const fits = Math.floor((available / Math.max(1, scale) - base) / each);
  return Math.max(0, Math.min(plan2.first, fits));
}
var minFirst = (plan2) => Math.max(1, Math.ceil(plan2.first / 4));

// src/sync/import/page-queries.ts
var pageInfo = "pageInfo { hasNextPage endCursor }";
var PAGE_QUERIES = {
  products: `query ImportProductsPage($first: Int!, $childFirst: Int!, $after: String) {
  products(first: $first, after: $after) {
    ${pageInfo}
    edges { cursor node { ${FIELDS.product} variants(first: $childFirst) { ${pageInfo} nodes { ${FIELDS.variant} } } } }
  }
}`,
  customers: `query ImportCustomersPage($first: Int!, $after: String) {
  customers(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.customer} } }
}`,
  orders: `query ImportOrdersPage($first: Int!, $childFirst: Int!, $after: String) {
  orders(first: $first, after: $after) {
    ${pageInfo}
    edges { cursor node { ${FIELDS.order} lineItems(first: $childFirst) { ${pageInfo} nodes { ${FIELDS.lineItem} } } } }
  }
}`,
  // Levels are read one location at a time, as the bulk query does: the location is their parent.
  inventory: `query ImportLevelsPage($first: Int!, $outerAfter: String, $after: String) {
  locations(first: 1, after: $outerAfter) {
    ${pageInfo}
    nodes { id inventoryLevels(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.level} } } }
  }
}`
};
var FOLLOW_UP_QUERIES = {
  products: `query ImportProductVariants($id: ID!, $first: Int!, $after: String) {
  record: product(id: $id) { children: variants(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.variant} } } }
}`,
  orders: `query ImportOrderLineItems($id: ID!, $first: Int!, $after: String) {
  record: order(id: $id) { children: lineItems(first: $first, after: $after) { ${pageInfo} nodes { ${FIELDS.lineItem} } } }
}`
};
var CHILD_CONNECTION = { products: "variants", orders: "lineItems" };
var STORE_COUNTS = `query ImportStoreCounts {
  productsCount(limit: null) { count precision }
  productVariantsCount(limit: null) { count precision }
  customersCount(limit: null) { count precision }
  ordersCount(limit: null) { count precision }
}`;
var BUDGET_PROBE = `query ImportBudget { shop { id } }`;

// src/sync/import/page-fetch.ts
async function call(s, query, variables) {
  return adminGraphql(s.cfg, { shop: s.shop, accessToken: s.accessToken, query, variables });
}
async function probeBudget(s) {
  return (await call(s, BUDGET_PROBE, {})).cost;
}
async function countStore(s) {
  const { data, cost } = await call(s, STORE_COUNTS, {});
  const all = ["productsCount", "productVariantsCount", "customersCount", "ordersCount"].map(
    (k) => data[k] ?? null
  );
  const n = (i) => all[i]?.count ?? 0;
  return {
    counts: { products: n(0), variants: n(1), customers: n(2), orders: n(3) },
    exact: all.every((c) => c !== null && c.precision === "EXACT"),
    cost
  };
}
async function followUp(s, resource, first, parentId, after, onCost) {
  const out = [];
  let cursor = after;
  while (cursor !== null) {
    const res = await call(s, FOLLOW_UP_QUERIES[resource], { id: parentId, first, after: cursor });
    onCost(res.cost);
    const record = res.data.record;
    if (!record) break;
    out.push(...record.children.nodes);
    const info = record.children.pageInfo;
    cursor = info.hasNextPage ? info.endCursor : null;
  }
  return out;
}
var followUpCost = (resource, first) => 1 + 2 + first * (resource === "products" ? ITEM_COST.variant : ITEM_COST.lineItem);
async function pageWithChildren(s, resource, plan2, cursor, conn, cost) {
  const key = CHILD_CONNECTION[resource];
  const groups = [];
  let last = cost;
  const onCost = (c) => last = c ?? last;
  const page = { requested: cost?.requestedQueryCost };
  for (const [i, edge] of conn.edges.entries()) {
    const { [key]: children, ...root } = edge.node;
    const own = children;
    const all = [...own.nodes];
    if (own.pageInfo.hasNextPage && own.pageInfo.endCursor) {
      const need = followUpCost(resource, plan2.followUpFirst);
      if (i > 0 && pacingWaitMs(need, last?.throttleStatus) > 0) {
        const previous = conn.edges[i - 1]?.cursor ?? null;
        return { ...page, groups, next: { after: previous, outerAfter: null }, cost: last, need };
      }
      all.push(
        ...await followUp(
          s,
          resource,
          plan2.followUpFirst,
          String(root["id"]),
          own.pageInfo.endCursor,
          onCost
        )
      );
    }
    groups.push({ root, children: all.map((c) => ({ ...c, __parentId: root["id"] })) });
  }
  return { ...page, groups, next: nextOf(conn.pageInfo, cursor.outerAfter), cost: last };
}
var nextOf = (info, outerAfter) => info.hasNextPage && info.endCursor ? { after: info.endCursor, outerAfter } : null;
async function fetchPage(s, resource, plan2, cursor) {
  if (resource === "inventory") return fetchLevels(s, plan2, cursor);
  if (resource === "customers") {
    const vars2 = { first: plan2.first, after: cursor.after };
    const { data: data2, cost: cost2 } = await call(s, PAGE_QUERIES.customers, vars2);
    const groups = data2.customers.nodes.map((root) => ({ root, children: [] }));
    return { groups, next: nextOf(data2.customers.pageInfo, null), requested: cost2?.requestedQueryCost, cost: cost2 };
  }
  const vars = { first: plan2.first, childFirst: plan2.childFirst, after: cursor.after };
  const { data, cost } = await call(s, PAGE_QUERIES[resource], vars);
  return pageWithChildren(s, resource, plan2, cursor, data[resource], cost);
}
async function fetchLevels(s, plan2, cursor) {
  const { data, cost } = await call(s, PAGE_QUERIES.inventory, { first: plan2.first, outerAfter: cursor.outerAfter, after: cursor.after });
  const location = data.locations.nodes[0];
  const page = { requested: cost?.requestedQueryCost, cost };
  if (!location) return { ...page, groups: [], next: null };
  const levels = location.inventoryLevels;
  const groups = levels.nodes.map((l) => ({ root: { ...l, __parentId: location.id }, children: [] }));
  const more = data.locations.pageInfo;
  const next = nextOf(levels.pageInfo, cursor.outerAfter) ?? (more.hasNextPage && more.endCursor ? { after: null, outerAfter: more.endCursor } : null);
  return { ...page, groups, next };
}

// src/sync/import/mode.ts
function chooseMode(setting2, counts2, budget, maxSeconds) {
  if (setting2 !== "auto") return { mode: setting2, why: `SHOPIFY_IMPORT_MODE=${setting2}` };
  if (!counts2) return { mode: "bulk", why: "the store could not be counted exactly" };
  if (!budget) return { mode: "bulk", why: "Shopify reported no cost budget" };
  const points = pagedImportPoints(counts2);
  const seconds = pagedLowerBoundSeconds(points, budget);
  const size = `about ${points} points, ${Math.ceil(seconds)} s beyond the bucket`;
  return seconds <= maxSeconds ? { mode: "paged", why: `a small store (${size})` } : { mode: "bulk", why: `a large store (${size})` };
}
async function survey(deps2, s, tenantId2) {
  try {
    return await countStore(s);
  } catch (err) {
    if (!(err instanceof PermanentError) || err.errorClass === "unauthorized") throw err;
    deps2.logger.warn({ tenantId: tenantId2, err }, "shopify import: the store could not be counted");
    return void 0;
  }
}
var setting = (deps2) => deps2.config.shopifyImportMode ?? "auto";
async function decideModes(deps2, s, run3) {
  const opts = deps2.importOptions ?? {};
  const locations = run3.resources.find((r) => r.resource === "locations")?.total ?? 0;
  const counted = setting(deps2) === "bulk" ? void 0 : await survey(deps2, s, run3.tenantId);
  const counts2 = counted?.exact ? { ...counted.counts, locations } : void 0;
  const choice = chooseMode(
    setting(deps2),
    counts2,
    counted?.cost?.throttleStatus,
    opts.pagedAutoMaxSeconds ?? DEFAULTS.pagedAutoMaxSeconds
  );
  const now2 = deps2.clock.now();
  const perProduct = counts2 && counts2.products > 0 ? counts2.variants / counts2.products : null;
  const child = {
    products: childFirstFor(perProduct, DEFAULT_VARIANTS_PER_PRODUCT),
    orders: DEFAULT_LINES_PER_ORDER
  };
  const totals = counts2 && {
    products: counts2.products,
    customers: counts2.customers,
    orders: counts2.orders,
    inventory: counts2.variants * counts2.locations
  };
  for (const resource of BULK_RESOURCES) {
    const row = run3.resources.find((r) => r.resource === resource);
    const started2 = row !== void 0 && (row.bulkOperationId !== null || row.url !== null || row.linesDone > 0);
    const plan2 = pagePlan(resource, resource === "orders" ? child.orders : child.products, opts.maxPageCost);
    await patchResource(
      deps2.db,
      run3.id,
      resource,
      {
        mode: started2 ? "bulk" : choice.mode,
        pageFirst: plan2.first,
        pageChildFirst: plan2.childFirst,
        ...totals ? { total: totals[resource] } : {}
      },
      now2
    );
  }
  await patchResource(deps2.db, run3.id, "locations", { mode: "paged" }, now2);
  deps2.logger.info(
    { tenantId: run3.tenantId, importId: run3.id, mode: choice.mode, counts: counts2 },
    `shopify import reads ${choice.mode === "paged" ? "page by page" : "through bulk operations"}: ${choice.why}`
  );
}
async function fallBackToPages(deps2, importId, resource, refusal) {
  if (setting(deps2) !== "auto") return false;
  const patch = {
    mode: "paged",
    state: "pending",
    bulkOperationId: null,
    url: null,
    reason: `Shopify refused the bulk operation (${refusal}); reading page by page`
  };
  await patchResource(deps2.db, importId, resource, patch, deps2.clock.now());
  deps2.logger.warn({ importId, resource, refusal }, "shopify import: bulk refused, reading page by page");
  return true;
}
var isAccessDenied = (err) => err instanceof PermanentError && err.errorClass.split(",").includes("ACCESS_DENIED");

// src/sync/import/paged.ts
function planOf(deps2, r) {
  const fallback = r.resource === "orders" ? DEFAULT_LINES_PER_ORDER : DEFAULT_VARIANTS_PER_PRODUCT;
  const plan2 = pagePlan(r.resource, r.pageChildFirst ?? fallback, deps2.importOptions?.maxPageCost);
  if (r.pageFirst === null) return plan2;
  const childFirst = r.pageChildFirst ?? plan2.childFirst;
  return {
    ...plan2,
    first: r.pageFirst,
    childFirst,
    requestedCost: pageCost(r.resource, r.pageFirst, childFirst)
  };
}
async function commitPage(deps2, run3, r, page) {
  const { id: importId, tenantId: tenantId2 } = run3;
  const ctx = batchContext(deps2, tenantId2, importId);
  let done = 0;
  await deps2.db.transaction(async (tx) => {
    const out = await WRITERS[r.resource].write(tx, ctx, page.groups);
    await parkRecords(tx, tenantId2, importId, r.resource, out.parked, ctx.now);
    const status2 = page.cost?.throttleStatus;
    const checkpoint = {
      budget: status2 ? { ...status2, observedAt: ctx.now.toISOString() } : null,
      cursor: page.next?.after ?? null,
      outerCursor: page.next?.outerAfter ?? null,
      done: out.done,
      parked: out.parked.length,
      finished: page.next === null
    };
    await advancePageCheckpoint(tx, importId, r.resource, checkpoint, ctx.now);
    done = out.done;
  });
  return done;
}
var paced = (requested, status2) => {
  const delayMs = pacingWaitMs(requested, status2);
  return delayMs > 0 ? { kind: "wait", delayMs } : void 0;
};
async function startingBudget(deps2, s, run3, r) {
  const now2 = deps2.clock.now();
  const estimate = budgetNow(r.pageBudget, now2);
  if (estimate) return estimate;
  const status2 = (await probeBudget(s))?.throttleStatus;
  if (status2) {
    const pageBudget = { ...status2, observedAt: now2.toISOString() };
    await patchResource(deps2.db, run3.id, r.resource, { pageBudget }, now2);
  }
  return status2;
}
async function importPages(deps2, s, run3, r) {
  const opts = deps2.importOptions ?? {};
  const plan2 = planOf(deps2, r);
  if (r.state !== "running")
    await patchResource(deps2.db, run3.id, r.resource, { state: "running" }, deps2.clock.now());
  let cursor = { after: r.pageCursor, outerAfter: r.pageOuterCursor };
  let done = r.done;
  let scale = 1;
  const cost = (first) => Math.ceil(pageCost(r.resource, first, plan2.childFirst) * scale);
  try {
    let status2 = await startingBudget(deps2, s, run3, r);
    let extra = 0;
    for (let budget = opts.maxBatchesPerStep ?? DEFAULTS.maxBatchesPerStep; budget > 0; budget -= 1) {
      const least = Math.min(status2?.maximumAvailable ?? Infinity, cost(minFirst(plan2)) + extra);
      const wait = paced(least, status2);
      if (wait) return wait;
      const room = status2 ? status2.currentlyAvailable - extra : Infinity;
      const first = Math.max(minFirst(plan2), firstAffordable(r.resource, plan2, room, scale));
      const page = await fetchPage(s, r.resource, { ...plan2, first }, cursor);
      done += await commitPage(deps2, run3, r, page);
      await opts.afterBatch?.({ resource: r.resource, linesDone: r.linesDone, done });
      if (page.next === null) return { kind: "done" };
      cursor = page.next;
      if (page.requested) scale = Math.max(1, page.requested / pageCost(r.resource, first, plan2.childFirst));
      status2 = page.cost?.throttleStatus;
      extra = page.need ?? 0;
    }
  } catch (err) {
    if (err instanceof ThrottledError) return { kind: "wait", delayMs: err.retryAfterMs };
    throw err;
  }
  return { kind: "wait", delayMs: 0 };
}

// src/sync/import/shopify-calls.ts
async function startBulk(s, resource) {
  const { data } = await adminGraphql(s.cfg, {
    shop: s.shop,
    accessToken: s.accessToken,
    query: RUN_BULK,
    variables: { query: BULK_QUERIES[resource] }
  });
  const r = data.bulkOperationRunQuery;
  if (r.bulkOperation) return { ok: true, id: r.bulkOperation.id };
  const reason = r.userErrors.map((e) => e.message).join("; ") || "Shopify started no bulk operation";
  return {
    ok: false,
    busy: /in progress/i.test(reason) || r.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS"),
    reason
  };
}
async function pollBulk(s, id) {
  const { data } = await adminGraphql(s.cfg, { shop: s.shop, accessToken: s.accessToken, query: POLL_BULK, variables: { id } });
  const op = data.bulkOperation;
  if (!op) return void 0;
  return { ...op, objectCount: Number(op.objectCount), rootObjectCount: Number(op.rootObjectCount) };
}
async function fetchLocations(s) {
  const out = [];
  let after = null;
  for (; ; ) {
    const {
      data
    } = await adminGraphql(s.cfg, {
      shop: s.shop,
      accessToken: s.accessToken,
      query: LOCATIONS_PAGE,
      variables: { after }
    });
    out.push(...data.locations.nodes);
    if (!data.locations.pageInfo.hasNextPage || !data.locations.pageInfo.endCursor) return out;
    after = data.locations.pageInfo.endCursor;
  }
}

// src/sync/import/write-locations.ts
async function upsertLocations(tx, ctx, items) {
  const t = ctx.tenantId;
  const known = await localIdsOf(
    tx,
    t,
    "location",
    items.map((i) => i.gid)
  );
  const ids = assignIds(
    known,
    items.map((i) => i.gid),
    ctx.newId
  );
  const json = items.map(({ mapped: l }) => ({
    id: ids.get(l.gid),
    name: l.name,
    address: l.address,
    active: l.active,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString()
  }));
  const { rows: rows2 } = await tx.query(
    `insert into locations (id, tenant_id, name, address, active, created_at, updated_at)
     select r.id, $1, r.name, r.address, r.active, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, address jsonb, active boolean, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, address = excluded.address, active = excluded.active,
       updated_at = excluded.updated_at, version = locations.version + 1
     where locations.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)]
  );
  if (rows2.length !== items.length) throw new Error("location batch: some ids belong to another tenant");
  await recordChanges(
    tx,
    t,
    "shopify",
    rows2.map((r) => ({
      entity: "location",
      entityId: r.id,
      version: r.version,
      op: r.inserted ? "create" : "update"
    }))
  );
  await linkIds(
    tx,
    t,
    "location",
    [...ids].map(([gid, localId]) => ({ gid, localId })),
    ctx.now
  );
  return ids;
}
async function writeLocationBatch(tx, ctx, nodes) {
  const parked = [];
  const planned = [];
  for (const node of nodes) {
    const m = mapLocation(node);
    if (!m.ok) parked.push({ gid: String(node.id), reason: m.reason, payload: node });
    else planned.push(plan(m.value.gid, m.value, locationSnapshot(m.value), node));
  }
  parked.push(
    ...await writeChanged(
      tx,
      ctx,
      "location",
      planned,
      (q, some) => upsertLocations(q, ctx, some),
      (l) => l.updatedAt
    )
  );
  return { done: nodes.length - parked.length, parked };
}

// src/sync/import/step.ts
var again = (delayMs) => ({ kind: "again", delayMs });
async function session(deps2, tenantId2) {
  const s = shopifyDeps(deps2);
  const live = s && await accessTokenFor(s, tenantId2);
  if (!s || !live) return void 0;
  return {
    cfg: { shopOriginTemplate: s.shopifyApp.shopOriginTemplate, apiVersion: s.shopifyApp.apiVersion },
    ...live
  };
}
var resourceOf = (run3, name) => run3.resources.find((r) => r.resource === name);
async function importLocations(deps2, s, run3) {
  const nodes = await fetchLocations(s);
  const ctx = batchContext(deps2, run3.tenantId, run3.id);
  await deps2.db.transaction(async (tx) => {
    const out = await writeLocationBatch(tx, ctx, nodes);
    await parkRecords(tx, run3.tenantId, run3.id, "locations", out.parked, ctx.now);
    await patchResource(tx, run3.id, "locations", { state: "running", total: nodes.length }, ctx.now);
    await tx.query(
      `update shopify_import_resources set done = $3, parked = $4, lines_done = $5 where import_id = $1 and resource = $2`,
      [run3.id, "locations", out.done, out.parked.length, nodes.length]
    );
    await patchResource(tx, run3.id, "locations", { state: "completed" }, ctx.now);
  });
}
async function tryStartBulk(s, resource) {
  try {
    return await startBulk(s, resource);
  } catch (err) {
    if (isAccessDenied(err)) return { ok: false, busy: false, reason: err.message };
    throw err;
  }
}
async function startPending(deps2, s, run3) {
  for (const r of run3.resources) {
    if (!isBulk(r.resource) || r.mode !== "bulk" || r.state !== "pending" || r.bulkOperationId) continue;
    const started2 = await tryStartBulk(s, r.resource);
    const now2 = deps2.clock.now();
    if (started2.ok)
      await patchResource(
        deps2.db,
        run3.id,
        r.resource,
        { state: "running", bulkOperationId: started2.id, reason: null },
        now2
      );
    else if (started2.busy)
      await patchResource(deps2.db, run3.id, r.resource, { reason: `waiting: ${started2.reason}` }, now2);
    else if (!await fallBackToPages(deps2, run3.id, r.resource, started2.reason))
      await patchResource(deps2.db, run3.id, r.resource, { state: "failed", reason: started2.reason }, now2);
  }
}
var isBulk = (name) => BULK_RESOURCES.includes(name);
async function pollRunning(deps2, s, run3) {
  for (const r of run3.resources) {
    if (r.mode !== "bulk" || r.state !== "running" || !r.bulkOperationId || r.url) continue;
    const op = await pollBulk(s, r.bulkOperationId);
    const now2 = deps2.clock.now();
    if (!op || op.status === "CANCELED" || op.status === "EXPIRED" || op.status === "FAILED" && op.errorCode !== "ACCESS_DENIED") {
      const why = op ? `bulk operation ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ""}; exporting again` : "bulk operation not found; exporting again";
      await patchResource(
        deps2.db,
        run3.id,
        r.resource,
        { state: "pending", bulkOperationId: null, reason: why },
        now2
      );
    } else if (op.status === "FAILED") {
      if (isBulk(r.resource) && await fallBackToPages(deps2, run3.id, r.resource, "ACCESS_DENIED")) continue;
      await patchResource(
        deps2.db,
        run3.id,
        r.resource,
        { state: "failed", reason: `Shopify refused the export (${op.errorCode})` },
        now2
      );
    } else if (op.status === "COMPLETED") {
      const total = r.resource === "inventory" ? op.objectCount - op.rootObjectCount : op.rootObjectCount;
      const patch = op.url ? { url: op.url, total, reason: null } : { state: "completed", total: 0, reason: null };
      await patchResource(deps2.db, run3.id, r.resource, patch, now2);
    }
  }
}
var NEEDS = {
  products: ["locations"],
  customers: ["locations"],
  orders: ["products", "customers"],
  inventory: ["products", "locations"]
};
function nextToIngest(run3) {
  const completed = new Set(run3.resources.filter((r) => r.state === "completed").map((r) => r.resource));
  if (completed.size === run3.resources.length) return "done";
  for (const r of run3.resources) {
    if (completed.has(r.resource) || !isBulk(r.resource)) continue;
    if (!NEEDS[r.resource].every((needed) => completed.has(needed))) continue;
    if (r.mode === "paged") return { kind: "paged", r: { ...r, resource: r.resource } };
    if (r.url !== null && r.state === "running")
      return { kind: "file", r: { ...r, resource: r.resource, url: r.url } };
  }
  return "wait";
}
async function finish(deps2, run3) {
  const now2 = deps2.clock.now();
  await deps2.db.transaction(async (tx) => {
    await setImportState(tx, run3.id, "completed", null, now2);
    const c = await getConnection(tx, run3.tenantId, true);
    if (c?.state === "importing") await setConnectionState(tx, run3.tenantId, "syncing", null, now2);
  });
  deps2.logger.info(
    { tenantId: run3.tenantId, importId: run3.id },
    "shopify import completed; continuous sync on"
  );
  if (deps2.enqueue) {
    const key = { singletonKey: run3.tenantId };
    await deps2.enqueue(JOBS.shopifyApplyWebhooks, { tenantId: run3.tenantId }, key);
    await deps2.enqueue(JOBS.shopifyOutbox, { tenantId: run3.tenantId }, key);
  }
}
async function ingestNext(deps2, tenantId2, importId, r) {
  try {
    if (await ingestFile(deps2, tenantId2, importId, r)) {
      await patchResource(
        deps2.db,
        importId,
        r.resource,
        { state: "completed", reason: null },
        deps2.clock.now()
      );
    }
  } catch (err) {
    if (!(err instanceof DownloadGoneError)) throw err;
    const reason = `${err.message}; exporting again`;
    const restart = {
      state: "pending",
      bulkOperationId: null,
      url: null,
      linesDone: 0,
      bytesDone: 0,
      reason
    };
    await patchResource(deps2.db, importId, r.resource, restart, deps2.clock.now());
  }
}
async function runImportStep(deps2, tenantId2) {
  let run3 = await getLiveImport(deps2.db, tenantId2);
  if (!run3) return { kind: "idle" };
  const s = await session(deps2, tenantId2);
  if (!s) {
    await setImportState(deps2.db, run3.id, "failed", "the store is not connected", deps2.clock.now());
    return { kind: "idle" };
  }
  if (run3.state !== "running") await setImportState(deps2.db, run3.id, "running", null, deps2.clock.now());
  if (resourceOf(run3, "locations").state !== "completed") {
    await importLocations(deps2, s, run3);
    return again(0);
  }
  if (run3.resources.some((r) => r.mode === null)) {
    await decideModes(deps2, s, run3);
    run3 = await getLiveImport(deps2.db, tenantId2);
  }
  await startPending(deps2, s, run3);
  await pollRunning(deps2, s, run3 = await getLiveImport(deps2.db, tenantId2));
  run3 = await getLiveImport(deps2.db, tenantId2);
  const failed = run3.resources.find((r) => r.state === "failed");
  if (failed) {
    await setImportState(
      deps2.db,
      run3.id,
      "failed",
      `${failed.resource}: ${failed.reason ?? "failed"}`,
      deps2.clock.now()
    );
    return { kind: "finished" };
  }
  const next = nextToIngest(run3);
  if (next === "done") {
    await finish(deps2, run3);
    return { kind: "finished" };
  }
  if (next === "wait") return again(deps2.importOptions?.pollDelayMs ?? DEFAULTS.pollDelayMs);
  if (next.kind === "paged") {
    const out = await importPages(deps2, s, run3, next.r);
    return again(out.kind === "wait" ? out.delayMs : 0);
  }
  await ingestNext(deps2, tenantId2, run3.id, next.r);
  return again(0);
}

// src/sync/import/start.ts
function requireQueue(deps2) {
  if (!deps2.enqueue)
    throw new PermanentError(
      "the Shopify import needs deps.enqueue (the job queue) to schedule itself",
      "not_configured"
    );
  return deps2.enqueue;
}
async function startImport(deps2, tenantId2) {
  const { run: run3 } = await createImport(deps2.db, tenantId2, deps2.clock.now());
  if (!deps2.enqueue) {
    deps2.logger.warn(
      { tenantId: tenantId2, importId: run3.id },
      "shopify import created but not enqueued: this process has no job queue"
    );
    return run3;
  }
  try {
    await enqueueImport(deps2, tenantId2, 0);
  } catch (err) {
    const reason = `the import could not be queued: ${err.message}`;
    deps2.logger.error({ tenantId: tenantId2, importId: run3.id, err }, reason);
    await setImportState(deps2.db, run3.id, "paused", reason, deps2.clock.now());
  }
  return run3;
}
async function enqueueImport(deps2, tenantId2, delayMs) {
  const data = { tenantId: tenantId2 };
  await requireQueue(deps2)(JOBS.shopifyImport, data, {
    singletonKey: tenantId2,
    ...delayMs > 0 ? { startAfter: Math.ceil(delayMs / 1e3) } : {}
  });
}

// bench/import-ours.ts
var env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
var shop = env("BENCH_SHOP");
var token = env("BENCH_TOKEN");
var db = await openDb({
  databaseUrl: process.env["BENCH_DATABASE_URL"],
  dataDir: process.env["BENCH_DATA_DIR"],
  onIdleError: (err) => {
    throw err;
  }
});
await migrateToLatest(db);
var sqlTime = /* @__PURE__ */ new Map();
if (process.env["BENCH_SQL_PROFILE"]) {
  const timed = (q) => ({
    exec: (sql) => q.exec(sql),
    async query(sql, params, options) {
      const t0 = performance.now();
      try {
        return await q.query(sql, params, options);
      } finally {
        const key = sql.replace(/\s+/g, " ").trim().slice(0, 90);
        const e = sqlTime.get(key) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t0;
        e.n += 1;
        sqlTime.set(key, e);
      }
    }
  });
  const query = timed({ query: db.query.bind(db), exec: db.exec.bind(db) }).query;
  const transaction = db.transaction.bind(db);
  Object.assign(db, { query, transaction: (fn) => transaction((tx) => fn(timed(tx))) });
}
var secretBox = createSecretBox(randomBytes(32), randomBytes);
var deps = {
  db,
  logger: pino({ level: "warn" }),
  clock: systemClock,
  // BENCH_IMPORT_MODE=paged|bulk pins the mode (auto chooses paged only for small stores).
  config: loadConfig({ SHOPIFY_IMPORT_MODE: process.env["BENCH_IMPORT_MODE"] ?? "auto" }),
  randomBytes,
  shopify: {
    app: {
      apiKey: "bench",
      apiSecret: "bench-secret",
      appUrl: "http://127.0.0.1:9",
      shopOriginTemplate: env("BENCH_SHOP_ORIGIN"),
      apiVersion: "2026-04",
      scopes: requestedScopes(true)
    },
    secretBox
  }
};
var { rows } = await db.query(`insert into tenants (name) values ('bench') returning id`);
var tenantId = rows[0]?.id;
var now = /* @__PURE__ */ new Date();
await markConnecting(db, tenantId, shop, "2026-04", requestedScopes(true), now);
await storeTokens(
  db,
  tenantId,
  {
    accessTokenSealed: secretBox.seal(token, `${tenantId}:${shop}:access`),
    refreshTokenSealed: null,
    accessExpiresAt: null,
    refreshExpiresAt: null
  },
  requestedScopes(true),
  "importing",
  now
);
var mb = (n) => (n / 1048576).toFixed(0);
var mem = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)}`;
};
var started = performance.now();
var peak = { rss: 0, at: 0, heapTotal: 0, heapUsed: 0, external: 0 };
var sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak = { rss: m.rss, at: performance.now() - started, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external };
}, 20);
var cpuAtStart = process.cpuUsage();
await startImport(deps, tenantId);
for (; ; ) {
  const t0 = performance.now();
  const outcome = await runImportStep(deps, tenantId);
  if (process.env["BENCH_TRACE"]) {
    const run3 = await getLatestImport(db, tenantId);
    console.log(
      `step ${(performance.now() - started).toFixed(0)} ms (+${(performance.now() - t0).toFixed(0)}) ${outcome.kind} ${mem()} ${JSON.stringify(run3?.resources.map((r) => [r.resource, r.state, r.done]))}`
    );
  }
  if (outcome.kind === "finished" || outcome.kind === "idle") break;
  if (outcome.delayMs > 0)
    await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.delayMs, 250)));
}
var ms = performance.now() - started;
clearInterval(sampler);
if (process.env["BENCH_TRACE"])
  console.log(`peak sample at ${peak.at.toFixed(0)} ms: rss ${mb(peak.rss)} heap ${mb(peak.heapUsed)}/${mb(peak.heapTotal)} external ${mb(peak.external)}`);
for (const [k, v] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40))
  console.log(`sql ${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(6)}\xD7 ${k}`);
var run2 = await getLatestImport(db, tenantId);
var counts = await db.query(
  `select 'products' as entity, count(*)::text as n from products union all
   select 'variants', count(*)::text from variants union all
   select 'customers', count(*)::text from customers union all
   select 'orders', count(*)::text from orders union all
   select 'inventory_levels', count(*)::text from inventory_levels union all
   select 'locations', count(*)::text from locations`
);
var ops = await db.query(
  "select resource, bulk_operation_id from shopify_import_resources where import_id = $1",
  [run2?.id]
);
console.log(
  `BENCH_RESULT ${JSON.stringify({
    ms,
    state: run2?.state,
    reason: run2?.reason,
    counts: Object.fromEntries(counts.rows.map((r) => [r.entity, Number(r.n)])),
    bulkOperations: ops.rows.flatMap((r) => r.bulk_operation_id ? [r.bulk_operation_id] : []),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuS: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuAtStart))
  })}`
);
await db.close();
