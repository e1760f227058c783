/**
 * The layers of docs/ARCHITECTURE.md ("Folders" table), held by dependency-cruiser in `npm run check`
 * (`lint:deps`), in CI and in test/layers.test.ts. `LAYERS` is the table's "may import" column as data:
 * the test reads the table and fails when the two differ, so change both together.
 */

/** Each layer of src/: the paths it covers and the layers it may import (besides itself). */
export const LAYERS = {
  domain: { paths: ['src/domain/'], mayImport: [] },
  db: { paths: ['src/db/'], mayImport: ['domain', 'shared'] },
  core: { paths: ['src/core/'], mayImport: ['db', 'domain', 'shared'] },
  shopify: { paths: ['src/shopify/'], mayImport: ['db', 'domain', 'shared'] },
  sync: { paths: ['src/sync/'], mayImport: ['core', 'shopify', 'db', 'domain', 'shared'] },
  jobs: { paths: ['src/jobs/'], mayImport: ['sync', 'core', 'db', 'domain', 'shared'] },
  http: { paths: ['src/http/'], mayImport: ['sync', 'core', 'shopify', 'db', 'domain', 'shared'] },
  shared: {
    paths: [
      'src/app-root.ts',
      'src/clock.ts',
      'src/config.ts',
      'src/deps.ts',
      'src/errors.ts',
      'src/job-names.ts',
      'src/logger.ts',
    ],
    mayImport: ['shopify', 'db', 'domain'],
  },
  root: {
    paths: [
      'src/main.ts',
      'src/runtime.ts',
      'src/cli/',
      'src/shopify-wiring.ts',
      'src/demo-emulator.ts',
      'src/secret-key.ts',
    ],
    mayImport: ['http', 'jobs', 'sync', 'core', 'shopify', 'db', 'domain', 'shared'],
  },
};

/** Modules that do I/O or hold process state; src/domain must stay pure. */
export const IO_CORE_MODULES = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'child_process',
  'worker_threads',
  'cluster',
  'dns',
  'tls',
  'os',
  'process',
  'readline',
];
export const IO_PACKAGES = [
  'pg',
  'pg-boss',
  '@electric-sql/pglite',
  'fastify',
  '@fastify/[^/]+',
  'pino',
  'prom-client',
  'undici',
  '@shopify/[^/]+',
];

const escape = (s) => s.replace(/[.]/g, '\\.');
/** A regular expression matching every path of the given layers. */
const pathsOf = (names) =>
  `^(${names
    .flatMap((n) => LAYERS[n].paths)
    .map((p) => escape(p) + (p.endsWith('/') ? '' : '$'))
    .join('|')})`;
const ALL_LAYERS = Object.keys(LAYERS);
const TESTS = '\\.test\\.tsx?$';

const layerRules = Object.entries(LAYERS)
  .filter(([, { mayImport }]) => mayImport.length < ALL_LAYERS.length - 1)
  .map(([name, { mayImport }]) => ({
    name: `layer-${name}`,
    comment: `src/${name} may import only ${mayImport.length ? mayImport.join(', ') : 'itself'} (docs/ARCHITECTURE.md)`,
    severity: 'error',
    from: { path: pathsOf([name]), pathNot: TESTS },
    to: { path: '^src/', pathNot: pathsOf([name, ...mayImport]) },
  }));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: 'domain-no-io',
      comment: 'src/domain is pure: no I/O module, no process state',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          `^(node:)?(${IO_CORE_MODULES.join('|')})(/|$)`,
          `(^|/)node_modules/(${IO_PACKAGES.join('|')})/`,
        ],
      },
    },
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'src/domain imports nothing outside src/domain, tests included',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|test|test-support|bench|emulator|web)/', pathNot: '^src/domain/' },
    },
    {
      name: 'connector-never-imports-emulator',
      comment: 'src/ (and its tests and benchmarks) talk to the emulator over HTTP only',
      severity: 'error',
      from: { path: '^(src|test|test-support|bench)/' },
      to: { path: '^(emulator/|node_modules/shopify-emulator/|shopify-emulator(/|$))' },
    },
    {
      name: 'emulator-never-imports-connector',
      comment: 'the emulator shares no code with the connector',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^((src|test|test-support|bench|web)/|node_modules/retailos/|retailos(/|$))' },
    },
    {
      name: 'sync-entities-below-use-cases',
      comment:
        'src/sync/entities (one module per synced kind) is used by the import and continuous sync, never the other way',
      severity: 'error',
      from: { path: '^src/sync/entities/', pathNot: TESTS },
      to: { path: '^src/sync/(import|continuous)/' },
    },
    {
      name: 'continuous-sync-not-import',
      comment: 'src/sync/continuous and src/sync/import share code only through src/sync/entities',
      severity: 'error',
      from: { path: '^src/sync/continuous/', pathNot: TESTS },
      to: { path: '^src/sync/import/' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle anywhere (src, emulator, web, tests)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(web/dist|emulator/data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

/** What `npm run lint:deps` and test/layers.test.ts cruise. */
export const CRUISED = ['src', 'test', 'test-support', 'bench', 'emulator/src', 'emulator/test', 'web/src'];
